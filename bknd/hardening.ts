import { middlewares } from 'bknd';
import { isStaff } from '../shared/roles';
import { roleSchema } from '../shared/roleSchema';
import { nonStaffVerdict, scrubAnswer } from './nonStaffRequests';
import { isMediaPath, mediaRules } from './mediaRules';
import { mentionsSecretField } from './secretFields';
import { clientProjectIds, partnerScope } from './partnerScope';
import type { BkndContext, BkndNext, BkndServer, RequestUser } from './serverTypes';
import { tenantKeysIn } from './tenantKeys';

// bknd 0.19/0.20 leaves holes in tenant isolation (docs/bknd.md "The guard, and the holes we close" 1-6; 7-10 found while building
// this, see README.md). One middleware, installed by `options.manager.onServerInit` before any bknd route,
// closes those that policies cannot, in this order:
//
// - paths with `..`, `\` or encoded slashes: 400 for everyone (hole 6);
// - `/api/auth/<strategy>/register` in any spelling: 403 for everyone (hole 1);
// - bknd's own auth middleware resolves the caller once (bknd's routes reuse the result);
// - a dropping `/api/data/sync`: 403 even for an admin (hole 10);
// - `/api/media/*`: decided by mediaRules.ts for everyone, admins included (names, types, per-project reads);
//   admins pass from here on;
// - user creation and changes, `/api/data/sync`: admin only (hole 1);
// - `strategy_value` named anywhere in a request: 400 (hole 9, secretFields.ts); staff pass from here on;
// - partner: its shared projects and clients put on the request's user (partnerScope.ts, policies.ts);
//   client asking for project_metrics: its tenant's project ids, likewise;
// - a write carrying a tenant key: 403 (hole 4, tenantKeys.ts);
// - anything outside the non-staff allowlist: 400/403 (holes 2, 3, 7, 8, nonStaffRequests.ts), and the
//   answer's `meta.total` is replaced by the filtered count (hole 3) and staff-only columns are removed.
// Holes 5 and 8 are also closed in policies.ts (qualified filter keys).

const authenticate = middlewares.auth();

/** Installs the hardening middleware on bknd's server (call from `options.manager.onServerInit`). */
export function installHardening(server: BkndServer): void {
	server.use('*', async (c, next) => {
		const early = refuseBeforeAuth(c);
		if (early) return early;
		// bknd's own auth middleware: verifies the Bearer token or the signed cookie once; bknd's routes reuse it.
		let refused: Response | undefined;
		await authenticate(c, async () => {
			refused = await afterAuth(c, next);
		});
		return refused;
	});
}

function refuseBeforeAuth(c: BkndContext): Response | undefined {
	const decoded = decodedPath(c);
	if (decoded === null || /(^|\/)\.\.(\/|$)|\\/.test(decoded) || /%2f|%5c/i.test(c.req.path)) {
		return c.json({ error: 'Invalid path: ".." segments, backslashes and encoded slashes are refused.' }, 400);
	}
	if (/^\/api\/auth\/[^/]+\/register\/?$/i.test(decoded)) {
		return c.json({ error: 'Self-registration is closed: ask an administrator for an account.' }, 403);
	}
	return undefined;
}

/** Runs with the caller resolved; answers a refusal, or undefined once bknd has answered. */
async function afterAuth(c: BkndContext, next: BkndNext): Promise<Response | undefined> {
	const auth = c.get('auth');
	const user = auth?.user as RequestUser | undefined;
	const role = roleSchema.safeParse(user?.role).data;
	const method = c.req.method.toUpperCase();
	const path = c.req.path;
	const query = new URL(c.req.url).searchParams;

	if (isDroppingSync(path, query)) {
		return c.json({ error: 'A dropping schema sync is refused over HTTP: apply it with bknd/migrate.ts (see bknd/README.md).' }, 403);
	}
	if (isMediaPath(path)) return mediaRules(c, next, user, role);
	if (role === 'admin') return passOn(next);
	if (adminOnly(method, path)) {
		return c.json({ error: 'Only an administrator may create or change users, or sync the schema.' }, 403);
	}

	const body = path.startsWith('/api/data/') && isWrite(method) ? await jsonBody(c) : undefined;
	if (mentionsSecretField(query, body)) {
		return c.json({ error: 'Password hashes cannot be queried: remove strategy_value from the request.' }, 400);
	}
	if (role && isStaff(role)) return passOn(next);

	// Non-staff from here on: client, partner, or nobody.
	if (auth && user && role === 'partner') {
		const scope = await partnerScope(c.get('app'), user.partner_id);
		const scoped: RequestUser = { ...user, shared_project_ids: scope.projectIds, shared_client_ids: scope.clientIds };
		auth.user = scoped as unknown as typeof auth.user;
	}

	const entity = /^\/api\/data\/entity\/([^/]+)/.exec(path)?.[1];
	if (auth && user && role === 'client' && entity === 'project_metrics') {
		const scoped = { ...user, client_project_ids: await clientProjectIds(c.get('app'), user.client_id) };
		auth.user = scoped as unknown as typeof auth.user;
	}
	const tenantKeys = entity && isWrite(method) ? tenantKeysIn(entity, body) : [];
	if (tenantKeys.length > 0) {
		return c.json({ error: `Only staff may set ${tenantKeys.join(', ')}: it moves a row to another tenant.` }, 403);
	}

	// The role decides what a caller may name and read: a partner never gets money figures (budget_mga).
	const verdict = nonStaffVerdict(method, path, query, body, role);
	if (!verdict.ok) return c.json({ error: verdict.error }, verdict.status);
	await next();
	if (verdict.dataRead) await rewriteJson(c, (answer) => scrubAnswer(answer, role));
	return undefined;
}

async function passOn(next: BkndNext): Promise<undefined> {
	await next();
	return undefined;
}

/** Routes only an admin may use, whatever the guard's roles say. */
function adminOnly(method: string, path: string): boolean {
	if (/^\/api\/auth\/[^/]+\/actions(\/|$)/i.test(path)) return true;
	if (/^\/api\/data\/entity\/users(\/|$)/i.test(path) && isWrite(method)) return true;
	return /^\/api\/data\/sync\/?$/i.test(path);
}

/** Even for an admin: a dropping sync over HTTP is one typo away from data loss (see migrate.ts). */
function isDroppingSync(path: string, query: URLSearchParams): boolean {
	if (!/^\/api\/data\/sync\/?$/i.test(path)) return false;
	return query.getAll('drop').some((v) => !['', '0', 'false'].includes(v.toLowerCase()));
}

function isWrite(method: string): boolean {
	return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

function decodedPath(c: BkndContext): string | null {
	try {
		return decodeURIComponent(new URL(c.req.url).pathname);
	} catch {
		return null;
	}
}

/** The body parsed as JSON whatever its content-type (bknd's handlers parse it so too), or undefined. */
async function jsonBody(c: BkndContext): Promise<unknown> {
	try {
		// Hono caches the text on the request, so bknd's own `c.req.json()` later reads the same bytes.
		return JSON.parse(await c.req.text());
	} catch {
		return undefined;
	}
}

/** Replaces a JSON response body, keeping status and headers (minus the now wrong content-length). */
async function rewriteJson(c: BkndContext, rewrite: (body: unknown) => unknown): Promise<void> {
	const res = c.res;
	if (!res.headers.get('content-type')?.includes('application/json')) return;
	const body = rewrite(await res.clone().json());
	const headers = new Headers(res.headers);
	headers.delete('content-length');
	// Hono copies the old response's headers into a new one on assignment; clearing first avoids that.
	c.res = undefined as unknown as Response;
	c.res = new Response(JSON.stringify(body), { status: res.status, headers });
}
