import { REVOCATION_NOTICE_LIMITS, noticeIdSchema, revocationNoticeSchema, type RevocationNotice } from '../../shared/live/revocationNotice';
import { verifySigned } from '../../shared/live/signedMessage';
import type { IncomingDelivery } from '../live/deliveryCheck';

export type NoticeCheck = { ok: true; notice: RevocationNotice } | { ok: false; status: 400 | 401 | 409 | 413 | 500; error: string };

/**
 * The project room's door for revocation notices (shared/live/revocationNotice.ts): only a notice signed with
 * BRIDGE_SECRET, recent, never seen before and about this room's project gets through. Anyone on the internet can
 * reach the project room's HTTP API, so without this anyone could close other people's sockets.
 *
 * Notice ids are remembered in memory for the age window: a replay within it gets 409. After a restart a replay
 * could pass, and would still change nothing: a notice closes only sockets whose token predates its `at`, and
 * those were closed (or refused) the first time.
 */
export class RevocationInbox {
	/** Accepted notice ids, with when they may be forgotten (Unix ms). */
	private readonly seen = new Map<string, number>();
	private readonly now: () => number;

	constructor(private readonly options: { secret: string | undefined; projectId: number; now?: () => number }) {
		this.now = options.now ?? Date.now;
	}

	/** Checks a notice as it arrived; an accepted one is remembered, so the same notice is refused next time. */
	async receive(incoming: IncomingDelivery): Promise<NoticeCheck> {
		const now = this.now();
		const checked = await verifySigned(incoming, {
			secret: this.options.secret,
			now,
			maxAgeMs: REVOCATION_NOTICE_LIMITS.maxAgeMs,
			maxBodyBytes: REVOCATION_NOTICE_LIMITS.maxBodyBytes,
			idSchema: noticeIdSchema,
			bodySchema: revocationNoticeSchema,
			what: 'notice'
		});
		if (!checked.ok) return checked;
		this.forgetExpired(now);
		if (this.seen.has(checked.id)) return refuse(409, `notice ${checked.id} was already received`);
		const notice = checked.body;
		if (notice.projectId !== this.options.projectId) return refuse(400, `the notice is about project ${notice.projectId}: send it to that project's room`);
		// One second of slack past the age window, so no clock rounding reopens it.
		this.seen.set(checked.id, Math.max(checked.timestamp, now) + REVOCATION_NOTICE_LIMITS.maxAgeMs + 1000);
		return { ok: true, notice };
	}

	private forgetExpired(now: number): void {
		for (const [id, until] of this.seen) if (until < now) this.seen.delete(id);
	}
}

function refuse(status: 400 | 401 | 409 | 413 | 500, error: string): NoticeCheck {
	return { ok: false, status, error };
}
