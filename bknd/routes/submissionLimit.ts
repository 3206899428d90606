import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { App } from 'bknd';

// "At most 5 submissions per IP per 10 minutes" for the public forms (intake, bootcamp). Counted here, in
// bknd's database, not in the web worker's memory: Cloudflare runs many isolates of the worker, and a count
// kept in one of them limits nobody. The IP is never stored: only an HMAC of it under the service secret,
// which is enough to count and useless to anyone who reads the table.
// The table's name contains "bknd", so bknd's schema sync ignores it (see bridge/bridgeTables.ts).

export const SUBMISSIONS_TABLE = 'bknd_public_submissions';

/** The public forms' limit, per form and per client address. */
export const SUBMISSION_LIMIT = { max: 5, windowMs: 10 * 60_000 } as const;

export type SubmissionKind = 'intake' | 'bootcamp';

export type SubmissionVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Creates the table when missing (idempotent). */
export async function createSubmissionsTable(app: App): Promise<void> {
	const db = app.em.connection.kysely;
	await sql`CREATE TABLE IF NOT EXISTS ${sql.table(SUBMISSIONS_TABLE)} (
		kind TEXT NOT NULL,
		client_key TEXT NOT NULL,
		at INTEGER NOT NULL
	)`.execute(db);
	await sql`CREATE INDEX IF NOT EXISTS ${sql.raw(`${SUBMISSIONS_TABLE}_client`)} ON ${sql.table(SUBMISSIONS_TABLE)} (kind, client_key, at)`.execute(db);
}

/** The stored key of an address: an HMAC, so the table never holds an IP. */
export function clientKeyOf(address: string, secret: string): string {
	return createHmac('sha256', secret).update(address).digest('hex');
}

/**
 * Counts one submission of `kind` from `clientKey`, or refuses it when the window is full. The row is written
 * first and counted after, so two submissions racing for the last place cannot both get it.
 */
export async function takeSubmission(app: App, kind: SubmissionKind, clientKey: string, now = Date.now()): Promise<SubmissionVerdict> {
	const db = app.em.connection.kysely;
	const since = now - SUBMISSION_LIMIT.windowMs;
	await sql`DELETE FROM ${sql.table(SUBMISSIONS_TABLE)} WHERE at < ${since}`.execute(db);
	const inserted = await sql<{ id: number }>`INSERT INTO ${sql.table(SUBMISSIONS_TABLE)} (kind, client_key, at) VALUES (${kind}, ${clientKey}, ${now}) RETURNING rowid AS id`.execute(db);
	const id = inserted.rows[0]?.id;
	const earlier = await sql<{ n: number; oldest: number | null }>`SELECT COUNT(*) AS n, MIN(at) AS oldest FROM ${sql.table(SUBMISSIONS_TABLE)}
		WHERE kind = ${kind} AND client_key = ${clientKey} AND at >= ${since} AND rowid <= ${id ?? Number.MAX_SAFE_INTEGER}`.execute(db);
	const { n, oldest } = earlier.rows[0] ?? { n: 0, oldest: null };
	if (n <= SUBMISSION_LIMIT.max) return { ok: true };
	await sql`DELETE FROM ${sql.table(SUBMISSIONS_TABLE)} WHERE rowid = ${id}`.execute(db);
	const freeAt = (oldest ?? now) + SUBMISSION_LIMIT.windowMs;
	return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) };
}
