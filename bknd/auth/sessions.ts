import { createHash } from 'node:crypto';
import { middlewares, type App } from 'bknd';
import { sql, type Kysely } from 'kysely';
import { END_SESSION_ROUTE } from '../../shared/publicApi';
import type { BkndContext, BkndServer, RequestUser } from '../serverTypes';

// bknd's JWTs are stateless: without this, a token stays valid until its `exp` (8 h) after sign-out and after a
// password change. Two checks, made on every request that carries a token (Bearer or bknd's `auth` cookie), right
// after bknd's own auth middleware has verified it and before any route (ours or bknd's) runs:
//
// - `users.session_version` (in the token through `auth.jwt.fields`) must equal the user's row: setting a new
//   password bumps it (routes/users.ts), which ends every session of that person at once. A deleted user's
//   tokens end too (no row).
// - the token must not be in `bknd_ended_sessions`: signing out ends THAT session only (its SHA-256 is kept until
//   the token's own `exp`). Not a version bump: one account is often used on a phone and a laptop, or shared by
//   a client's team, and signing out of one device should not sign everyone else out.
//
// A token failing either check is treated as no token at all: the request goes on anonymous (bknd answers
// `/api/auth/me` with 403, the guard refuses data, our routes 401), so a stale cookie never blocks a new login.
// Cost: one indexed read per request with a token (users by primary key, ended sessions by primary key).

export const ENDED_SESSIONS_TABLE = 'bknd_ended_sessions';
const LOGOUT_PATH = /^\/api\/auth\/logout\/?$/i;
const NO_STORE = { 'cache-control': 'no-store' };

const authenticate = middlewares.auth();

/** Creates the table when missing (idempotent). */
export async function createEndedSessionsTable(db: Kysely<any>): Promise<void> {
	await sql`CREATE TABLE IF NOT EXISTS ${sql.table(ENDED_SESSIONS_TABLE)} (
		token_hash TEXT PRIMARY KEY,
		expires_at INTEGER NOT NULL
	)`.execute(db);
}

/**
 * Installs the session check on every request, then `POST /api/fataplus/session/end` (the web app's sign-out:
 * ends the session of the token it is called with). Call first in `options.manager.onServerInit`: bknd's auth
 * middleware resolves the caller once per request, and every later use (our routes, hardening.ts, bknd's routes)
 * reuses what is decided here.
 */
export function installSessionCheck(server: BkndServer): void {
	server.use('*', async (c, next) => {
		await authenticate(c, async () => {
			const auth = c.get('auth');
			const user = auth?.user as (RequestUser & { session_version?: unknown; exp?: unknown }) | undefined;
			if (auth && user) {
				const token = await tokenOf(c);
				if (!token || !(await sessionIsLive(c.get('app') as App, user, token))) {
					auth.user = undefined;
				} else if (LOGOUT_PATH.test(c.req.path)) {
					// bknd's own sign-out only deletes its cookie; the token inside it ends here too.
					await endSession(c.get('app') as App, token, user.exp);
				}
			}
			await next();
		});
	});

	server.post(END_SESSION_ROUTE, async (c) => {
		const user = c.get('auth')?.user as { exp?: unknown } | undefined;
		const token = user ? await tokenOf(c) : undefined;
		if (!user || !token) return c.json({ error: 'No session to end.', code: 'signed_out' }, 401, NO_STORE);
		await endSession(c.get('app') as App, token, user.exp);
		return c.json({ ok: true }, 200, NO_STORE);
	});
}

/** The raw token bknd verified: the Bearer header first, else its signed `auth` cookie (bknd's own order). */
async function tokenOf(c: BkndContext): Promise<string | undefined> {
	const header = c.req.header('authorization');
	if (header) return header.replace('Bearer ', '');
	const authenticator = (c.get('app') as App).module.auth.authenticator as unknown as { getAuthCookie(c: BkndContext): Promise<string | undefined> };
	// Private in bknd's types, public at run time: the one reader of its signed cookie (secret and name as bknd sets them).
	return authenticator.getAuthCookie(c);
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

async function sessionIsLive(app: App, user: RequestUser & { session_version?: unknown }, token: string): Promise<boolean> {
	if (typeof user.id !== 'number') return false;
	const db = app.em.connection.kysely as Kysely<any>;
	const row = (await db
		.selectFrom('users')
		.select(['session_version', sql<number | null>`(SELECT 1 FROM ${sql.table(ENDED_SESSIONS_TABLE)} WHERE token_hash = ${hashOf(token)})`.as('ended')])
		.where('id', '=', user.id)
		.executeTakeFirst()) as { session_version: number | null; ended: number | null } | undefined;
	if (!row || row.ended) return false;
	return Number(row.session_version ?? 0) === Number(user.session_version ?? 0);
}

/** Ends one session: its token is refused from now until its own expiry, when the row goes too. */
export async function endSession(app: App, token: string, exp: unknown, now = Date.now()): Promise<void> {
	const db = app.em.connection.kysely;
	const expiresAt = typeof exp === 'number' ? exp * 1000 : now + 24 * 3600_000;
	await sql`DELETE FROM ${sql.table(ENDED_SESSIONS_TABLE)} WHERE expires_at < ${now}`.execute(db);
	await sql`INSERT OR IGNORE INTO ${sql.table(ENDED_SESSIONS_TABLE)} (token_hash, expires_at) VALUES (${hashOf(token)}, ${expiresAt})`.execute(db);
}
