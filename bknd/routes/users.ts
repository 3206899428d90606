import { createHash, randomBytes } from 'node:crypto';
import { middlewares, type App } from 'bknd';
import { sql } from 'kysely';
import type { z } from 'zod';
import { accountSchema, canManageRole, newUserSchema, type Account, type UserRefusal } from '../../shared/crm/user';
import { checkLinkBodySchema, consumeLinkBodySchema, PASSWORD_LINK_TTL_HOURS, type CreatedLink, type LinkAccount, type LinkRefusal } from '../../shared/crm/password';
import { CHECK_LINK_ROUTE, CONSUME_LINK_ROUTE } from '../../shared/publicApi';
import { isStaff, type Role } from '../../shared/roles';
import { roleSchema } from '../../shared/roleSchema';
import type { BkndContext, BkndServer, RequestUser } from '../serverTypes';
import { readCappedJson } from '../../shared/cappedBody';
import { isServiceCall } from './serviceAuth';

// Accounts and one-time password links, as staff and the welcome page need them. bknd's own routes cannot do
// this: creating users over its API is admin-only (hardening.ts, hole 1), it has no "set your password once"
// link, and its guard cannot say "a designer may create clients but not admins". So these are our routes,
// registered before hardening.ts (config.ts) and checking their callers themselves:
//
// - `POST /api/fataplus/users`: staff create an account; a designer only client and partner accounts
//   (shared/crm/user.ts `canManageRole`). The initial password is random and never leaves this process: the
//   person chooses theirs through a link.
// - `POST /api/fataplus/users/:id/password-link`: staff make a link for an account they may manage (a designer
//   making one for an admin would take the admin's account over). Only the SHA-256 of the token is stored, with
//   `expires_at` (72 h) and `created_by`; a new link replaces the account's unused ones.
// - `POST /api/fataplus/password-links/check` and `/consume`: the web app's server only (service secret), for
//   `/welcome/<token>`. Consume claims the link (one conditional UPDATE, so two tabs cannot both use it), then
//   sets the password with bknd's own password strategy (bcrypt, config.ts; see `setPassword`); if that fails
//   the claim is released and nothing has changed.
//
// Answers are `{ error, code }` on refusal: the web app shows a French message per code.

export const USERS_ROUTE = '/api/fataplus/users';
export const PASSWORD_LINK_ROUTE = '/api/fataplus/users/:id/password-link';

const USERS_TABLE: string = 'users';
const LINKS_TABLE: string = 'password_links';
/** Bodies of these routes are a few fields; anything bigger is not one of ours. */
const BODY_LIMIT = 16 * 1024;
const NO_STORE = { 'cache-control': 'no-store' };

const authenticate = middlewares.auth();

/** The signed-in staff member of a request. */
export interface StaffCaller {
	id: number;
	role: Role;
}

/**
 * Runs `run` for a signed-in staff member (bknd's auth middleware verifies the Bearer token or the signed
 * cookie); answers 401 to anonymous callers and 403 to clients and partners, before anything is read.
 */
export async function asStaff(c: BkndContext, run: (caller: StaffCaller) => Promise<Response>): Promise<Response> {
	let answer: Response | undefined;
	await authenticate(c, async () => {
		const user = c.get('auth')?.user as RequestUser | undefined;
		const role = roleSchema.safeParse(user?.role).data;
		if (!user || typeof user.id !== 'number' || !role) return;
		answer = isStaff(role) ? await run({ id: user.id, role }) : c.json({ error: 'Only Fataplus staff may do this.' }, 403, NO_STORE);
	});
	return answer ?? c.json({ error: 'Sign in as a member of the Fataplus staff.' }, 401, NO_STORE);
}

/** The JSON body parsed with `schema`: the value, or the 400 answer to send (with zod's issues, for the form). */
export async function readBody<T extends z.ZodType>(c: BkndContext, schema: T): Promise<{ ok: true; value: z.output<T> } | { ok: false; answer: Response }> {
	const invalid = (issues: unknown[]) => ({ ok: false as const, answer: c.json({ error: 'The request body is not valid.', code: 'invalid', issues }, 400, NO_STORE) });
	const body = await readCappedJson(c.req.raw, BODY_LIMIT);
	if (!body.ok) return invalid([]);
	const parsed = schema.safeParse(body.value);
	if (!parsed.success) return invalid(parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })));
	return { ok: true, value: parsed.data };
}

/** A refusal `{ error, code }` with its status. */
export function refuse<C extends string>(c: BkndContext, status: 400 | 403 | 404 | 409 | 410 | 500 | 503, code: C, error: string, extra: Record<string, unknown> = {}): Response {
	return c.json({ error, code, ...extra }, status, NO_STORE);
}

/** A positive integer id from a path parameter, or null. */
export function idParam(value: string | undefined): number | null {
	if (!value || !/^[1-9][0-9]{0,14}$/.test(value)) return null;
	return Number(value);
}

/** Registers the users and password-link routes (call from `options.manager.onServerInit`, before hardening). */
export function installUserRoutes(server: BkndServer, options: { serviceSecret?: string }): void {
	server.post(USERS_ROUTE, (c) => asStaff(c, (caller) => createAccount(c, caller)));
	server.post(PASSWORD_LINK_ROUTE, (c) =>
		asStaff(c, async (caller) => {
			const app = c.get('app') as App;
			const userId = idParam(c.req.param('id'));
			const target = userId === null ? undefined : await readAccount(app, userId);
			if (!target) return refuse<UserRefusal>(c, 404, 'not_found', 'No such user.');
			if (!canManageRole(caller.role, target.role)) {
				return refuse<UserRefusal>(c, 403, 'forbidden_role', `A ${caller.role} may not make a password link for a ${target.role} account.`);
			}
			return c.json(await createPasswordLink(app, target.id, caller.id), 201, NO_STORE);
		})
	);
	const service = (run: (c: BkndContext) => Promise<Response>) => async (c: BkndContext) => {
		if (!options.serviceSecret) return refuse(c, 503, 'unavailable', 'Password links are not configured (BKND_SERVICE_SECRET).');
		if (!isServiceCall(c, options.serviceSecret)) return refuse(c, 403, 'forbidden', 'Only the Fataplus web app may use password links.');
		return run(c);
	};
	server.post(CHECK_LINK_ROUTE, service(checkLink));
	server.post(CONSUME_LINK_ROUTE, service(consumeLink));
}

// ---- accounts ----

async function createAccount(c: BkndContext, caller: StaffCaller): Promise<Response> {
	const body = await readBody(c, newUserSchema);
	if (!body.ok) return body.answer;
	const user = body.value;
	if (!canManageRole(caller.role, user.role)) {
		return refuse<UserRefusal>(c, 403, 'forbidden_role', `A ${caller.role} may not create ${user.role} accounts: only an administrator creates staff.`);
	}
	const app = c.get('app') as App;
	const db = app.em.connection.kysely;
	if (user.clientId !== null && !(await db.selectFrom('clients').select('id').where('id', '=', user.clientId).executeTakeFirst())) {
		return refuse<UserRefusal>(c, 400, 'unknown_tenant', 'That client (tenant) does not exist.');
	}
	if (user.partnerId !== null && !(await db.selectFrom('partners').select('id').where('id', '=', user.partnerId).executeTakeFirst())) {
		return refuse<UserRefusal>(c, 400, 'unknown_agency', 'That partner agency does not exist.');
	}
	const created = await createAccountRow(app, user);
	if (created === 'email_taken') return refuse<UserRefusal>(c, 409, 'email_taken', `An account already uses ${user.email}.`);
	return c.json({ user: created }, 201, NO_STORE);
}

/**
 * Creates an account with bknd's password strategy and a random password nobody knows (the person sets theirs
 * through a link). `email_taken` when an account has the address in any letter case: bknd's unique index
 * compares exactly, sign-in lower-cases.
 */
export async function createAccountRow(
	app: App,
	user: { email: string; name: string; role: Role; clientId: number | null; partnerId: number | null }
): Promise<Account | 'email_taken'> {
	if (await accountIdByEmail(app, user.email)) return 'email_taken';
	let row: { id: unknown };
	try {
		row = (await app.module.auth.createUser({
			email: user.email,
			password: randomBytes(32).toString('base64url'),
			role: user.role,
			name: user.name,
			client_id: user.clientId ?? undefined,
			partner_id: user.partnerId ?? undefined
		} as Parameters<App['module']['auth']['createUser']>[0])) as { id: unknown };
	} catch (error) {
		// The unique index on users.email: someone created the same address since the lookup above.
		if (/UNIQUE constraint failed: users\.email/.test(String(error))) return 'email_taken';
		throw error;
	}
	const account = await readAccount(app, Number(row.id));
	if (!account) throw new Error(`user ${String(row.id)} vanished right after it was created`);
	return account;
}

/** The id of the account with `email` in any letter case. */
export async function accountIdByEmail(app: App, email: string): Promise<number | undefined> {
	const row = (await app.em.connection.kysely
		.selectFrom(USERS_TABLE)
		.select('id')
		.where(sql<string>`lower(email)`, '=', email.toLowerCase())
		.executeTakeFirst()) as { id: number } | undefined;
	return row?.id;
}

/** One account as the routes answer it (never the hash), or undefined. */
export async function readAccount(app: App, id: number): Promise<Account | undefined> {
	const row = await app.em.connection.kysely
		.selectFrom(USERS_TABLE)
		.select(['id', 'email', 'name', 'role', 'client_id', 'partner_id'])
		.where('id', '=', id)
		.executeTakeFirst();
	if (!row) return undefined;
	const parsed = accountSchema.safeParse({
		id: row.id,
		email: row.email,
		name: row.name ?? null,
		role: row.role,
		clientId: row.client_id || null,
		partnerId: row.partner_id || null
	});
	return parsed.success ? parsed.data : undefined;
}

/** Deletes an account and its links (undoing a conversion). bknd's mutator, so its listeners hear it. */
export async function deleteAccount(app: App, id: number): Promise<void> {
	await app.em.connection.kysely.deleteFrom(LINKS_TABLE).where('user_id', '=', id).execute();
	await app.em.mutator(USERS_TABLE as never).deleteOne(id as never);
}

// ---- password links ----

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * A new one-time link for account `userId`, made by `createdBy` (null: by `npm run admin:invite`, which no
 * account runs): 32 random bytes, of which only the SHA-256 is stored. The account's older unused links stop
 * working (only the newest one counts).
 */
export async function createPasswordLink(app: App, userId: number, createdBy: number | null, now = Date.now()): Promise<CreatedLink> {
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date(now + PASSWORD_LINK_TTL_HOURS * 3600_000).toISOString();
	const db = app.em.connection.kysely;
	await db.deleteFrom(LINKS_TABLE).where('user_id', '=', userId).where('used_at', 'is', null).execute();
	await app.em.mutator(LINKS_TABLE as never).insertOne({
		user_id: userId,
		token_hash: sha256(token),
		purpose: 'password',
		expires_at: expiresAt,
		created_by: createdBy,
		created_at: new Date(now).toISOString()
	} as never);
	return { userId, token, expiresAt };
}

interface StoredLink {
	id: number;
	user_id: number;
	expires_at: string | null;
	used_at: string | null;
}

type LinkVerdict = { ok: true; link: StoredLink; account: LinkAccount } | { ok: false; code: LinkRefusal };

/** Whether `token` opens an account now, and which one. */
async function usableLink(app: App, token: string, now: number): Promise<LinkVerdict> {
	const link = (await app.em.connection.kysely
		.selectFrom(LINKS_TABLE)
		.select(['id', 'user_id', 'expires_at', 'used_at'])
		.where('token_hash', '=', sha256(token))
		.executeTakeFirst()) as StoredLink | undefined;
	if (!link) return { ok: false, code: 'unknown' };
	if (link.used_at) return { ok: false, code: 'used' };
	const expires = link.expires_at ? Date.parse(link.expires_at) : Number.NaN;
	if (!(expires > now)) return { ok: false, code: 'expired' };
	const account = await readAccount(app, link.user_id);
	if (!account) return { ok: false, code: 'unknown' };
	return { ok: true, link, account: { userId: account.id, email: account.email, name: account.name } };
}

/**
 * Sets an account's password with bknd's own password strategy (its configured hashing: bcrypt, config.ts).
 * Not `app.module.auth.changePassword`: in 0.20 it reads the user through the repository, and after the first
 * request bknd hides the `strategy` column there too, so it fails with "User is not using password strategy"
 * for everyone. The hash is written with plain SQL because bknd's mutator refuses `strategy_value` on update.
 */
async function setPassword(app: App, userId: number, password: string): Promise<void> {
	const db = app.em.connection.kysely;
	const row = (await db.selectFrom(USERS_TABLE).select('strategy').where('id', '=', userId).executeTakeFirst()) as { strategy: string } | undefined;
	if (row?.strategy !== 'password') throw new Error(`user ${userId} does not sign in with a password`);
	// bknd's PasswordStrategy has `hash`; its type is not exported, hence the narrow cast.
	const strategy = app.module.auth.authenticator.strategy('password') as unknown as { hash(password: string): Promise<string> };
	const hash = await strategy.hash(password);
	// A new password ends every session of the account at once (auth/sessions.ts compares the version).
	await db
		.updateTable(USERS_TABLE)
		.set({ strategy_value: hash, session_version: sql`coalesce(session_version, 0) + 1` })
		.where('id', '=', userId)
		.execute();
}

const REFUSAL_TEXT: Record<LinkRefusal, [404 | 410, string]> = {
	unknown: [404, 'This link does not exist.'],
	used: [410, 'This link has already been used.'],
	expired: [410, 'This link has expired.']
};

async function checkLink(c: BkndContext): Promise<Response> {
	const body = await readBody(c, checkLinkBodySchema);
	if (!body.ok) return refuse(c, 404, 'unknown', REFUSAL_TEXT.unknown[1]);
	const verdict = await usableLink(c.get('app') as App, body.value.token, Date.now());
	if (!verdict.ok) return refuse(c, REFUSAL_TEXT[verdict.code][0], verdict.code, REFUSAL_TEXT[verdict.code][1]);
	return c.json(verdict.account, 200, NO_STORE);
}

async function consumeLink(c: BkndContext): Promise<Response> {
	const body = await readBody(c, consumeLinkBodySchema);
	if (!body.ok) return body.answer;
	const app = c.get('app') as App;
	const now = Date.now();
	const verdict = await usableLink(app, body.value.token, now);
	if (!verdict.ok) return refuse(c, REFUSAL_TEXT[verdict.code][0], verdict.code, REFUSAL_TEXT[verdict.code][1]);

	const db = app.em.connection.kysely;
	// Claim first: of two requests racing with one token, only the one whose UPDATE changed the row goes on.
	// (RETURNING, not `numUpdatedRows`: bknd's libsql driver does not report affected rows.)
	const claimed = await db
		.updateTable(LINKS_TABLE)
		.set({ used_at: new Date(now).toISOString() })
		.where('id', '=', verdict.link.id)
		.where('used_at', 'is', null)
		.returning('id')
		.execute();
	if (claimed.length !== 1) return refuse(c, 410, 'used', REFUSAL_TEXT.used[1]);
	try {
		await setPassword(app, verdict.account.userId, body.value.password);
	} catch (error) {
		// Nothing changed: release the link so the person can try again.
		await db.updateTable(LINKS_TABLE).set({ used_at: null }).where('id', '=', verdict.link.id).execute();
		throw error;
	}
	return c.json(verdict.account, 200, NO_STORE);
}
