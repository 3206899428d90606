import { Api } from 'bknd/client';
import { z } from 'zod';
import {
	clientRowSchema,
	projectRowSchema,
	projectShareRowSchema,
	type ClientRow,
	type ProjectRow,
	type ProjectShareRow
} from '$shared/entities';
import { CLIENT_IP_HEADER, END_SESSION_ROUTE, SERVICE_HEADER } from '$shared/publicApi';
import { type SessionUser } from '$shared/roles';
import { roleSchema, sessionUserSchema } from '$shared/roleSchema';
import type { ServerEnv } from './env';
import { bkndFetch } from './backends';

/**
 * The only door to bknd. Every call carries the signed-in user's own token, so bknd's guard filters
 * rows per role; nothing here reads data with a service token (the login carries the service secret only so
 * bknd believes the visitor's address, for its sign-in throttle). Calls resolve with data or `null` for "not
 * there / not visible", and throw `BkndUnavailableError` when bknd cannot answer (the page then shows 503).
 */

/** bknd did not answer, timed out or answered 5xx. */
export class BkndUnavailableError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'BkndUnavailableError';
	}
}

/** How long one bknd call may take before the page gives up with 503. */
const TIMEOUT_MS = 8_000;
/** Enough for every project of a tenant in one page (bknd's default `limit` is 10). */
const LIST_LIMIT = 1000;

/** `fetch` to bknd (its service binding on Cloudflare, `backends.ts`) that gives up after TIMEOUT_MS. */
function timedFetch(env: ServerEnv): typeof fetch {
	const toBknd = bkndFetch(env);
	return (input, init) => toBknd(input, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

/** A bknd SDK client for one request, authenticated as the user whose token this is. */
export function api(env: ServerEnv, token: string): Api {
	try {
		return new Api({ host: env.BKND_URL, token, fetcher: timedFetch(env) });
	} catch {
		// The SDK decodes the JWT in its constructor; a mangled cookie must read as "not signed in", not 500.
		throw new InvalidTokenError();
	}
}

/** The token could not even be decoded (not a JWT). */
export class InvalidTokenError extends Error {
	constructor() {
		super('invalid bknd token');
		this.name = 'InvalidTokenError';
	}
}

export interface SdkResponse {
	ok: boolean;
	status: number;
	data: unknown;
	body: unknown;
}

/** Runs one SDK call, turning network failures and 5xx into `BkndUnavailableError`. */
export async function call(what: string, run: () => Promise<SdkResponse>): Promise<SdkResponse> {
	let res: SdkResponse;
	try {
		res = await run();
	} catch (error) {
		throw new BkndUnavailableError(`bknd unreachable (${what})`, { cause: error });
	}
	if (res.status >= 500) throw new BkndUnavailableError(`bknd answered ${res.status} (${what})`);
	return res;
}

// bknd's user as /api/auth/me and login return it; extra columns are ignored.
const bkndUserSchema = z
	.object({
		id: z.coerce.number(),
		email: z.string(),
		role: roleSchema,
		name: z.string().nullish(),
		client_id: z.coerce.number().nullish(),
		partner_id: z.coerce.number().nullish()
	})
	.loose();

/** Maps bknd's user to the app's `SessionUser`; `null` if it lacks an id, email or a known role. */
export function toSessionUser(raw: unknown): SessionUser | null {
	const parsed = bkndUserSchema.safeParse(raw);
	if (!parsed.success) return null;
	const u = parsed.data;
	const user = sessionUserSchema.safeParse({
		id: u.id,
		email: u.email,
		// Accounts without a display name show the part of the address before the @.
		name: u.name?.trim() || u.email.split('@')[0] || u.email,
		role: u.role,
		clientId: u.client_id && u.client_id > 0 ? u.client_id : null,
		partnerId: u.partner_id && u.partner_id > 0 ? u.partner_id : null
	});
	return user.success ? user.data : null;
}

export type LoginResult =
	| { ok: true; user: SessionUser; token: string }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

const throttledSchema = z.object({ retryAfterSeconds: z.number().int().positive().max(24 * 3600) });

/**
 * Password login at bknd, for the visitor at `clientAddress`. The service secret makes bknd believe that address
 * (its sign-in throttle counts failures per account and per address, bknd/auth/loginThrottle.ts): 429 comes back
 * as `throttled` with the wait. `invalid` for wrong credentials (and for an account the app cannot use).
 */
export async function login(env: ServerEnv, email: string, password: string, clientAddress: string): Promise<LoginResult> {
	const toBknd = timedFetch(env);
	const asService: typeof fetch = (input, init) => {
		// The SDK may hand over a whole Request (its headers inside): add ours to a copy of it, never replace them.
		const request = new Request(input, init);
		request.headers.set(SERVICE_HEADER, env.BKND_SERVICE_SECRET);
		request.headers.set(CLIENT_IP_HEADER, clientAddress);
		return toBknd(request);
	};
	const client = new Api({ host: env.BKND_URL, fetcher: asService });
	const res = await call('login', () => client.auth.login('password', { email, password }));
	if (res.status === 429) {
		const wait = throttledSchema.safeParse(res.body);
		return { ok: false, reason: 'throttled', retryAfterSeconds: wait.success ? wait.data.retryAfterSeconds : 60 };
	}
	if (!res.ok) return { ok: false, reason: 'invalid' };
	const body = res.body as { user?: unknown; token?: unknown } | null;
	const user = toSessionUser(body?.user);
	if (!user || typeof body?.token !== 'string') return { ok: false, reason: 'invalid' };
	return { ok: true, user, token: body.token };
}

/**
 * Ends the session of `token` at bknd (bknd/auth/sessions.ts): from then on bknd refuses that token everywhere,
 * though it has not expired. Throws `BkndUnavailableError` when bknd cannot answer; a token bknd no longer
 * accepts (401) is already as good as ended.
 */
export async function endSession(env: ServerEnv, token: string): Promise<void> {
	let res: Response;
	try {
		res = await timedFetch(env)(`${env.BKND_URL}${END_SESSION_ROUTE}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
		await res.body?.cancel();
	} catch (error) {
		throw new BkndUnavailableError('bknd unreachable (end session)', { cause: error });
	}
	if (res.status >= 500) throw new BkndUnavailableError(`bknd answered ${res.status} (end session)`);
}

/** The user a bknd token belongs to (`/api/auth/me`); `null` when bknd refuses the token. */
export async function me(env: ServerEnv, token: string): Promise<SessionUser | null> {
	let client: Api;
	try {
		client = api(env, token);
	} catch {
		return null;
	}
	const res = await call('me', () => client.auth.me());
	if (!res.ok) return null;
	return toSessionUser((res.body as { user?: unknown } | null)?.user);
}

function rows<T>(schema: z.ZodType<T>, data: unknown, what: string): T[] {
	if (!Array.isArray(data)) return [];
	const out: T[] = [];
	for (const row of data) {
		const parsed = schema.safeParse(row);
		if (parsed.success) out.push(parsed.data);
		else console.warn(`[bknd] skipped a malformed ${what} row`, parsed.error.issues[0]);
	}
	return out;
}

async function readMany<T>(env: ServerEnv, token: string, entity: string, schema: z.ZodType<T>, query: Record<string, unknown>): Promise<T[]> {
	const client = api(env, token);
	const res = await call(`list ${entity}`, () => client.data.readMany(entity, { limit: LIST_LIMIT, ...query }));
	if (!res.ok) return [];
	return rows(schema, res.data, entity);
}

async function readOne<T>(env: ServerEnv, token: string, entity: string, id: number, schema: z.ZodType<T>): Promise<T | null> {
	const client = api(env, token);
	const res = await call(`read ${entity}`, () => client.data.readOne(entity, id));
	if (!res.ok) return null;
	const parsed = schema.safeParse(res.data);
	// bknd hole 5 (bknd/README.md, "Holes closed"): a filtered read-by-id can answer another row; only the asked id counts.
	return parsed.success && (parsed.data as { id: number }).id === id ? parsed.data : null;
}

/** The tenant (bknd `clients` row) with this slug, if the user may see it. */
export async function findClientBySlug(env: ServerEnv, token: string, slug: string): Promise<ClientRow | null> {
	const found = await readMany(env, token, 'clients', clientRowSchema, { where: { slug }, limit: 2 });
	return found.find((c) => c.slug === slug) ?? null;
}

/** A client by id, if visible to the user. */
export function readClient(env: ServerEnv, token: string, id: number): Promise<ClientRow | null> {
	return readOne(env, token, 'clients', id, clientRowSchema);
}

/** Every client the user may see, by name. */
export function listClients(env: ServerEnv, token: string): Promise<ClientRow[]> {
	return readMany(env, token, 'clients', clientRowSchema, { sort: 'name' });
}

/** The projects of one client the user may see (bknd's guard filters partners to shared projects). */
export function listProjectsOfClient(env: ServerEnv, token: string, clientId: number): Promise<ProjectRow[]> {
	return readMany(env, token, 'projects', projectRowSchema, { where: { clients_id: clientId }, sort: 'due_date' });
}

/** Every project the user may see. */
export function listProjects(env: ServerEnv, token: string): Promise<ProjectRow[]> {
	return readMany(env, token, 'projects', projectRowSchema, { sort: 'due_date' });
}

/** One project, if visible to the user. */
export function readProject(env: ServerEnv, token: string, id: number): Promise<ProjectRow | null> {
	return readOne(env, token, 'projects', id, projectRowSchema);
}

/** The shares held by a partner agency (revoked ones included: `projectAccess` skips them). */
export function listSharesOfPartner(env: ServerEnv, token: string, partnerId: number): Promise<ProjectShareRow[]> {
	return readMany(env, token, 'project_shares', projectShareRowSchema, { where: { partners_id: partnerId } });
}

/**
 * Every user account, as the app knows people (no password hash: bknd never answers it). Only staff may
 * read bknd's `users`; for anyone else bknd refuses and this answers `[]`.
 */
export async function listUsers(env: ServerEnv, token: string): Promise<SessionUser[]> {
	const raw = await readMany(env, token, 'users', bkndUserSchema, {});
	return raw.map(toSessionUser).filter((u): u is SessionUser => u !== null);
}

/** A raw GET under `/api/data/` for the allow-listed proxy; answers bknd's status and JSON body. */
export async function proxyDataGet(env: ServerEnv, token: string, path: string, search: URLSearchParams): Promise<{ status: number; body: unknown }> {
	const client = api(env, token);
	const res = await call(`proxy ${path}`, () => client.data.get(path, search));
	return { status: res.status, body: res.body };
}

/**
 * Whether bknd answers HTTP at all (any status), within `timeoutMs`. Plain fetch: the SDK has no ping
 * call, and here any answer (even 404) counts, where the SDK would parse a body we do not need.
 */
export async function bkndReachable(env: ServerEnv, timeoutMs: number): Promise<boolean> {
	try {
		const res = await bkndFetch(env)(`${env.BKND_URL}/api/system/ping`, { signal: AbortSignal.timeout(timeoutMs) });
		await res.body?.cancel();
		return true;
	} catch {
		return false;
	}
}
