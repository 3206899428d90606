import { z } from 'zod';
import type { LoggedEvent } from './events';

/** The live-room wire protocol version, sent as `v` in the connect URL (like project rooms). */
export const LIVE_PROTOCOL_VERSION = 1;

/** How many events a live room keeps at least; a watcher further behind gets a `reset`. */
export const LIVE_LOG_KEEP = 10_000;

/**
 * `since` in the connect URL: the last sequence number the watcher has (0 = none). Digits only: `z.coerce`
 * would read `''` or `' '` as 0. Without `since` the watcher gets only what comes after `hello`.
 */
export const sinceSchema = z
	.string()
	.regex(/^[0-9]{1,16}$/, 'since must be a sequence number')
	.transform(Number)
	.pipe(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));

/**
 * Token renewals on an open watcher socket (watcher → room). A watcher renews its one-minute room token
 * ~30 s before expiry (shared/roomTokenTiming.ts); more than `burst` renewals at once, or more than one per
 * `1 / perSecond` seconds sustained, closes the socket with 4429. A frame over `frameBytes` (UTF-8) closes 4413.
 */
export const LIVE_RENEWAL_LIMITS = { frameBytes: 8_192, perSecond: 0.2, burst: 3 } as const;

/**
 * Watcher → room (JSON text frames): only `{ type: 'auth', token }`, a fresh room token for the same user,
 * room and projects (a partner token admitting fewer projects drops them, as a revocation does). Answered with
 * `auth-ok`; a refused token closes with 4401 (fetch another and reconnect) or 4403 (another user: do not
 * retry), a token admitting more (or another role) with 4401 (reconnect to get it). Anything else closes 4400.
 */
export const liveClientMessageSchema = z.object({ type: z.literal('auth'), token: z.string().max(LIVE_RENEWAL_LIMITS.frameBytes) }).strict();
export type LiveClientMessage = z.infer<typeof liveClientMessageSchema>;

/**
 * Room → watcher (JSON text frames). A watcher whose token expires is closed with 4401 at that moment.
 * - `hello`: first frame; `seq` is the room's current sequence number.
 * - `event`: one change the watcher may see, in order; `seq` only grows, gaps are events it may not see.
 * - `reset`: `since` is older than the log (or ahead of it): reload the snapshot, then reconnect with `seq`.
 *   The socket stays open and carries on after `seq`, so a client may instead keep it and apply what follows.
 * - `revoked`: a partner lost a project; nothing of it will come any more.
 * - `auth-ok`: a renewal was accepted; the socket now stays open until `expiresAt` (ms).
 */
export type LiveServerMessage =
	| { type: 'hello'; room: string; seq: number }
	| { type: 'event'; seq: number; event: LoggedEvent }
	| { type: 'reset'; seq: number; reason: 'too-old' | 'ahead' }
	| { type: 'revoked'; projectId: number }
	| { type: 'auth-ok'; expiresAt: number };

/** `GET /ws/live/<room>/seq` (Bearer room token for that room): the current sequence number. */
export type LiveSeqAnswer = { seq: number };
