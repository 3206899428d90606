import { z } from 'zod';
import { deliveryIdSchema } from './delivery';
import { signedHeaders } from './signedMessage';

/**
 * How a tenant's live room tells a project room that a partner agency lost its share of that project, so the
 * project room closes the agency's sockets at once (4403) instead of when their tokens expire:
 * `POST /ws/project/<tenant>.<projectId>/revocations` with a JSON `RevocationNotice`, signed like a live
 * delivery (the three `DELIVERY_HEADERS`, HMAC-SHA256 with BRIDGE_SECRET over `<timestamp>.<notice id>.<body>`).
 *
 * The project room answers 200 `{ closed }` (sockets it closed), 400 for a body that does not parse or names
 * another project, 401 for a missing, wrong or stale signature, 409 for a notice id it already took, 413 over
 * the size limit, 500 when it has no BRIDGE_SECRET. A refused notice closes nothing and records nothing.
 */
export const REVOCATION_NOTICE_PATH = 'revocations';

export const REVOCATION_NOTICE_LIMITS = {
	/**
	 * Older (or further in the future) than this, a notice is refused as stale. Notices are sent the moment the
	 * live room stores the revocation, between objects of one deployment: a minute is room for retries only.
	 */
	maxAgeMs: 60_000,
	maxBodyBytes: 1024
} as const;

export const revocationNoticeSchema = z
	.object({
		type: z.literal('share.revoked'),
		/** The agency (`partners_id`); `null` when the event did not say, and then every partner of the project goes. */
		partnerId: z.number().int().positive().nullable(),
		projectId: z.number().int().positive(),
		/**
		 * When the live room stored the revocation (Unix ms). Tokens issued up to then are refused: the web app
		 * refuses new ones from the moment the share is revoked in bknd, which is before this.
		 */
		at: z.number().int().positive()
	})
	.strict();
export type RevocationNotice = z.infer<typeof revocationNoticeSchema>;

export const revocationAnswerSchema = z.object({ closed: z.number().int().nonnegative() });
export type RevocationAnswer = z.infer<typeof revocationAnswerSchema>;

export const noticeIdSchema = deliveryIdSchema;

/**
 * The body and headers of a signed notice. A retry signs again with a new `noticeId` (8-64 of `[A-Za-z0-9_-]`)
 * and the current time, and the same notice (its `at` unchanged).
 * @example await signedRevocationNotice(secret, { type: 'share.revoked', partnerId: 1, projectId: 3, at }, { now: Date.now(), noticeId: 'n0000001' })
 */
export async function signedRevocationNotice(
	secret: string,
	notice: RevocationNotice,
	{ now, noticeId }: { now: number; noticeId: string }
): Promise<{ body: string; headers: Record<string, string> }> {
	const body = JSON.stringify(notice);
	return { body, headers: await signedHeaders(secret, body, { now, id: noticeId }) };
}
