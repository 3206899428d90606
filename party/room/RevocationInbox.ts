import { DELIVERY_HEADERS } from '../../shared/live/delivery';
import { REVOCATION_NOTICE_LIMITS, noticeIdSchema, revocationNoticeSchema, type RevocationNotice } from '../../shared/live/revocationNotice';
import { sameSignature, signDelivery } from '../../shared/live/signature';
import type { IncomingDelivery } from '../live/deliveryCheck';

export type NoticeCheck = { ok: true; notice: RevocationNotice } | { ok: false; status: 400 | 401 | 409 | 413 | 500; error: string };

const TIMESTAMP = /^[0-9]{1,16}$/;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

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
		const { secret, projectId } = this.options;
		if (!secret) return refuse(500, 'revocation notices are not configured (BRIDGE_SECRET missing)');
		if (incoming.body === null || incoming.body.length > REVOCATION_NOTICE_LIMITS.maxBodyBytes) {
			return refuse(413, `body over ${REVOCATION_NOTICE_LIMITS.maxBodyBytes} bytes`);
		}
		const timestampHeader = incoming.headers.get(DELIVERY_HEADERS.timestamp) ?? '';
		const noticeId = incoming.headers.get(DELIVERY_HEADERS.delivery) ?? '';
		const signature = incoming.headers.get(DELIVERY_HEADERS.signature) ?? '';
		if (!TIMESTAMP.test(timestampHeader) || !noticeIdSchema.safeParse(noticeId).success || !SIGNATURE.test(signature)) {
			return refuse(401, `unsigned notice: send ${Object.values(DELIVERY_HEADERS).join(', ')}`);
		}
		const timestamp = Number(timestampHeader);
		const now = this.now();
		// Both ways: a notice signed "in the future" could otherwise be replayed for as long as it stays ahead.
		if (Math.abs(now - timestamp) > REVOCATION_NOTICE_LIMITS.maxAgeMs) return refuse(401, 'stale notice: sign it again with the current time');
		if (!sameSignature(await signDelivery(secret, timestamp, noticeId, incoming.body), signature)) return refuse(401, 'wrong signature');

		this.forgetExpired(now);
		if (this.seen.has(noticeId)) return refuse(409, `notice ${noticeId} was already received`);
		let json: unknown;
		try {
			json = JSON.parse(incoming.body);
		} catch {
			return refuse(400, 'body is not JSON');
		}
		const parsed = revocationNoticeSchema.safeParse(json);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			return refuse(400, `invalid notice: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
		}
		if (parsed.data.projectId !== projectId) return refuse(400, `the notice is about project ${parsed.data.projectId}: send it to that project's room`);
		// One second of slack past the age window, so no clock rounding reopens it.
		this.seen.set(noticeId, Math.max(timestamp, now) + REVOCATION_NOTICE_LIMITS.maxAgeMs + 1000);
		return { ok: true, notice: parsed.data };
	}

	private forgetExpired(now: number): void {
		for (const [id, until] of this.seen) if (until < now) this.seen.delete(id);
	}
}

function refuse(status: 400 | 401 | 409 | 413 | 500, error: string): NoticeCheck {
	return { ok: false, status, error };
}
