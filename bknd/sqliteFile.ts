import { createClient, type Client } from '@libsql/client';

/**
 * How long a statement waits for another connection's lock on the file before failing with SQLITE_BUSY.
 * libsql's default is 0 (fail at once): bknd, its bridge, `admin:invite` and the tests' direct reads all open
 * the same file, and any two of them writing in the same instant made one fail (seen in CI: a test's DELETE
 * against bknd's own write).
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * The one way to open bknd's local SQLite file, for bknd itself and for anything that reads it beside it.
 *
 * @example
 * const db = openSqliteFile('.data/bknd.sqlite');
 * try { await db.execute('SELECT COUNT(*) AS n FROM leads'); } finally { db.close(); }
 */
export function openSqliteFile(path: string): Client {
	return createClient({ url: `file:${path}`, timeout: SQLITE_BUSY_TIMEOUT_MS });
}
