import { middlewares, type App } from 'bknd';
import { projectAccess } from '../shared/access';
import { type Role } from '../shared/roles';
import { roleSchema } from '../shared/roleSchema';
import { positiveOrNull, readProjectShares } from './projectShares';
import type { BkndContext, BkndServer, RequestUser } from './serverTypes';

// `GET /api/fataplus/projects/:id/members`: the people of one project, for the review page's @mentions and
// reviewer picker, asked by anyone who may enter the project. Only staff may read bknd's `users` and a
// project's shares, so this route reads them on the server (`app.em` bypasses the guard) and answers only
// `{ userId, name, role }`: never an email or any other column.
//
// Who the members are: the agency's staff (admin, designer); the client users of the project's tenant
// (`users.client_id = projects.clients_id`); the users of partner agencies holding a share of the project
// that is not revoked (`project_shares.revoked_at` null, `users.partner_id`).
//
// Who may ask: whoever `projectAccess` (shared/access.ts, the rule the web app's room tokens follow) lets
// into the project, fed with the project's shares read now, so a revoked share counts at the next request as
// in partnerScope.ts. Anonymous: 401. Anyone else, and an unknown project: 404 (existence is not revealed).
//
// The route is registered BEFORE hardening.ts's middleware (config.ts): that middleware refuses every route
// outside the non-staff allowlist, and this one does its own narrower check. It never reaches bknd's routes.

/** The route, as Hono spells it. */
export const PROJECT_MEMBERS_ROUTE = '/api/fataplus/projects/:id/members';

/** One member as the route answers it. `userId` is a string, as the rooms name users. */
export interface ProjectMember {
	userId: string;
	name: string;
	role: Role;
}

const USERS_TABLE: string = 'users';

/** A display name is cut here, as the web app cuts it. */
const NAME_MAX = 200;

const authenticate = middlewares.auth();

/** Registers the members route on bknd's server (call from `options.manager.onServerInit`, before hardening). */
export function installProjectMembers(server: BkndServer): void {
	server.get(PROJECT_MEMBERS_ROUTE, async (c) => {
		let answer: Response | undefined;
		// bknd's own auth middleware verifies the Bearer token or the signed cookie, as in hardening.ts.
		await authenticate(c, async () => {
			answer = await membersAnswer(c);
		});
		return answer ?? c.json({ error: 'Sign in to see the members of a project.' }, 401);
	});
}

async function membersAnswer(c: BkndContext): Promise<Response> {
	const noStore = { 'cache-control': 'no-store' };
	const user = c.get('auth')?.user as RequestUser | undefined;
	if (!user || typeof user.id !== 'number') return c.json({ error: 'Sign in to see the members of a project.' }, 401, noStore);
	const notFound = () => c.json({ error: 'Project not found.' }, 404, noStore);

	const role = roleSchema.safeParse(user.role).data;
	const id = Number(c.req.param('id'));
	if (!role || !Number.isSafeInteger(id) || id <= 0) return notFound();

	const app = c.get('app') as App;
	const project = await readProject(app, id);
	if (!project) return notFound();
	const shares = await readProjectShares(app, id);
	// projectAccess reads only the role and the tenant keys; the name and email are not the request's business.
	const viewer = { id: user.id, email: '', name: '', role, clientId: positiveOrNull(user.client_id), partnerId: positiveOrNull(user.partner_id) };
	if (!projectAccess(viewer, { id, clientId: project.clientId }, shares)) return notFound();

	const partnerIds = [...new Set(shares.filter((s) => !s.revokedAt && s.partnerId !== null).map((s) => s.partnerId!))];
	return c.json(await readMembers(app, project.clientId, partnerIds), 200, noStore);
}

async function readProject(app: App, id: number): Promise<{ clientId: number | null } | undefined> {
	const row = (await app.em.connection.kysely.selectFrom('projects').select(['id', 'clients_id']).where('id', '=', id).executeTakeFirst()) as
		| { id: number; clients_id: number | null }
		| undefined;
	return row && { clientId: positiveOrNull(row.clients_id) };
}

/** Staff, the tenant's client users and the sharing agencies' users, by name. */
async function readMembers(app: App, clientId: number | null, partnerIds: number[]): Promise<ProjectMember[]> {
	const rows = (await app.em.connection.kysely
		// A plain string, not the literal: bknd types `users` with its own columns only, not ours (schema.ts).
		.selectFrom(USERS_TABLE)
		// The email is read only to name an account without a name, as the web app names it (bknd.ts toSessionUser).
		.select(['id', 'name', 'email', 'role'])
		.where((eb) =>
			eb.or([
				eb('role', 'in', ['admin', 'designer']),
				...(clientId === null ? [] : [eb.and([eb('role', '=', 'client'), eb('client_id', '=', clientId)])]),
				...(partnerIds.length === 0 ? [] : [eb.and([eb('role', '=', 'partner'), eb('partner_id', 'in', partnerIds)])])
			])
		)
		.execute()) as { id: number; name: string | null; email: string | null; role: string | null }[];

	const members: ProjectMember[] = [];
	for (const row of rows) {
		const role = roleSchema.safeParse(row.role).data;
		if (!role) continue;
		const name = row.name?.trim() || row.email?.split('@')[0] || `#${row.id}`;
		members.push({ userId: String(row.id), name: name.slice(0, NAME_MAX), role });
	}
	return members.sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
}
