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
 * Room → watcher (JSON text frames). Watchers send nothing; any message closes the socket with 4400.
 * - `hello`: first frame; `seq` is the room's current sequence number.
 * - `event`: one change the watcher may see, in order; `seq` only grows, gaps are events it may not see.
 * - `reset`: `since` is older than the log (or ahead of it): reload the snapshot, then reconnect with `seq`.
 *   The socket stays open and carries on after `seq`, so a client may instead keep it and apply what follows.
 * - `revoked`: a partner lost a project; nothing of it will come any more.
 */
export type LiveServerMessage =
	| { type: 'hello'; room: string; seq: number }
	| { type: 'event'; seq: number; event: LoggedEvent }
	| { type: 'reset'; seq: number; reason: 'too-old' | 'ahead' }
	| { type: 'revoked'; projectId: number };

/** `GET /parties/live/<room>/seq` (Bearer room token for that room): the current sequence number. */
export type LiveSeqAnswer = { seq: number };
