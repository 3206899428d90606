import { signedRevocationNotice } from '../../shared/live/revocationNotice';
import { projectRoomId } from '../../shared/roomNames';
import type { Revocation } from './RevocationList';

/** Sends one signed notice to project room `room` (`POST /ws/project/<room>/revocations`) and returns its status. */
export type PostNotice = (room: string, request: { body: string; headers: Record<string, string> }) => Promise<{ status: number }>;

export interface RevocationForwarderOptions {
	/** The tenant whose live room forwards: project rooms are `<tenant>.<projectId>`. */
	tenant: string;
	/** `BRIDGE_SECRET`. */
	secret: string;
	post: PostNotice;
	/** Waits before each retry; a notice is dropped (and logged) after the last one fails. Short: a partner is waiting to be cut off. */
	retryDelaysMs?: readonly number[];
	/**
	 * An attempt not answered by then counts as failed. The live room answers bknd's delivery only after this
	 * forwarder is done, and bknd gives a delivery 10 s: every attempt and wait together must stay well under it.
	 */
	attemptTimeoutMs?: number;
	now?: () => number;
	newNoticeId?: () => string;
	sleep?: (ms: number) => Promise<void>;
	log?: (message: string, error?: unknown) => void;
}

/**
 * Tells project rooms that a partner agency lost its share (shared/live/revocationNotice.ts), so they close its
 * sockets at once rather than when its tokens expire. Only a tenant's live room forwards, and only revocations
 * new to its log, so one revocation makes one notice however often bknd delivers or sweeps the event. If every
 * attempt fails, the room still drops the partner when its token expires (the web app refuses to renew it).
 */
export class RevocationForwarder {
	private readonly retryDelaysMs: readonly number[];
	private readonly attemptTimeoutMs: number;
	private readonly now: () => number;
	private readonly newNoticeId: () => string;
	private readonly sleep: (ms: number) => Promise<void>;
	private readonly log: (message: string, error?: unknown) => void;

	constructor(private readonly options: RevocationForwarderOptions) {
		this.retryDelaysMs = options.retryDelaysMs ?? [100, 500];
		this.attemptTimeoutMs = options.attemptTimeoutMs ?? 2_000;
		this.now = options.now ?? Date.now;
		this.newNoticeId = options.newNoticeId ?? (() => crypto.randomUUID().replaceAll('-', ''));
		this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
		this.log = options.log ?? ((message, error) => console.error(`[live ${options.tenant}] ${message}`, error ?? ''));
	}

	/** Notifies each project room concerned, once per agency and project, with retries; resolves when all are done. Never throws. */
	async forward(revocations: readonly Revocation[], at: number): Promise<void> {
		const unique = new Map(revocations.map((r) => [`${r.partnerId ?? 'any'}:${r.projectId}`, r]));
		await Promise.all([...unique.values()].map((revocation) => this.notify(revocation, at)));
	}

	private async notify({ partnerId, projectId }: Revocation, at: number): Promise<void> {
		const room = projectRoomId(this.options.tenant, projectId);
		for (let attempt = 0; ; attempt++) {
			let outcome: string;
			try {
				// Each attempt is a new notice id and signature over the same revocation (its `at` unchanged).
				const request = await signedRevocationNotice(this.options.secret, { type: 'share.revoked', partnerId, projectId, at }, { now: this.now(), noticeId: this.newNoticeId() });
				const { status } = await this.withinTimeout(this.options.post(room, request));
				if (status === 200) return;
				// Refused as such (malformed, too big, or the same notice already taken): sending it again cannot help.
				if (status === 400 || status === 409 || status === 413) return this.log(`project room ${room} refused a revocation notice (${status})`);
				outcome = `status ${status}`;
			} catch (error) {
				outcome = String(error);
			}
			const delay = this.retryDelaysMs[attempt];
			if (delay === undefined) return this.log(`project room ${room} was not told of a revocation (${outcome}); its partner sockets close when their tokens expire`);
			await this.sleep(delay);
		}
	}

	private withinTimeout<T>(work: Promise<T>): Promise<T> {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`no answer within ${this.attemptTimeoutMs} ms`)), this.attemptTimeoutMs);
		});
		return Promise.race([work, timeout]).finally(() => timer !== undefined && clearTimeout(timer));
	}
}
