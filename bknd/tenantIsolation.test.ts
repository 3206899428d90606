import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_EXPIRES_SECONDS } from './config';
import { DEMO_USERS, SHARED_PROJECT_TITLE } from './seed';
import { jwtClaims, startTestBknd, type TestBknd } from './testApi';

// Who sees what, over real HTTP against a real bknd (rule IDs are listed in bknd/README.md).

let t: TestBknd;
const tokens: Record<string, string> = {};
const ids = { fermeVerte: 0, atelierSud: 0, fermeProjects: [] as number[], sudProjects: [] as number[], sharedProject: 0, share: 0 };

beforeAll(async () => {
	t = await startTestBknd();
	for (const user of DEMO_USERS) tokens[user.role === 'client' ? user.email : user.role] = await t.login(user.email);
	const admin = tokens.admin;
	const clients = await t.call('GET', '/api/data/entity/clients', { token: admin, query: { select: 'id,slug' } });
	ids.fermeVerte = clients.body.data.find((c: any) => c.slug === 'ferme-verte').id;
	ids.atelierSud = clients.body.data.find((c: any) => c.slug === 'atelier-sud').id;
	const projects = await t.call('GET', '/api/data/entity/projects', { token: admin, query: { limit: 100, select: 'id,clients_id,title' } });
	ids.fermeProjects = projects.body.data.filter((p: any) => p.clients_id === ids.fermeVerte).map((p: any) => p.id);
	ids.sudProjects = projects.body.data.filter((p: any) => p.clients_id === ids.atelierSud).map((p: any) => p.id);
	ids.sharedProject = projects.body.data.find((p: any) => p.title === SHARED_PROJECT_TITLE).id;
	const shares = await t.call('GET', '/api/data/entity/project_shares', { token: admin });
	ids.share = shares.body.data[0].id;
}, 60_000);

afterAll(async () => {
	await t?.stop();
});

const client = () => tokens['client@ferme-verte.mg']!;
const ids_of = (res: { body: any }) => (res.body.data as { id: number }[]).map((r) => r.id).sort((a, b) => a - b);

describe('AUTH: logging in', () => {
	it('AUTH-1 every demo role logs in and /me answers its own user; a wrong password never yields a token', async () => {
		for (const user of DEMO_USERS) {
			const token = tokens[user.role === 'client' ? user.email : user.role]!;
			const me = await t.call('GET', '/api/auth/me', { token });
			expect(me.status).toBe(200);
			expect(me.body.user).toMatchObject({ email: user.email, role: user.role, name: user.name });
		}
		const wrong = await t.call('POST', '/api/auth/password/login', { body: { email: 'admin@fata.plus', password: 'not-the-password' } });
		expect(wrong.status).toBeGreaterThanOrEqual(400);
		expect(wrong.text).not.toContain('token');
	});

	it('AUTH-2 a token must never live forever: it carries exp = iat + 8 h, and the tenant claims', () => {
		const claims = jwtClaims(client());
		expect(claims.exp).toBe(Number(claims.iat) + JWT_EXPIRES_SECONDS);
		expect(claims).toMatchObject({ role: 'client', client_id: ids.fermeVerte, email: 'client@ferme-verte.mg' });
		expect(claims).not.toHaveProperty('strategy_value');
	});

	it('AUTH-4 an anonymous caller must never read data (403)', async () => {
		for (const entity of ['clients', 'projects', 'partners', 'project_shares', 'leads', 'users']) {
			expect((await t.call('GET', `/api/data/entity/${entity}`)).status).toBe(403);
		}
		expect((await t.call('GET', `/api/data/entity/projects/${ids.sharedProject}`)).status).toBe(403);
	});
});

describe('ISO: a client sees only its own tenant', () => {
	it("ISO-1 a client's project list must never contain another tenant's project", async () => {
		const res = await t.call('GET', '/api/data/entity/projects', { token: client(), query: { limit: 100 } });
		expect(res.status).toBe(200);
		expect(ids_of(res)).toEqual([...ids.fermeProjects].sort((a, b) => a - b));
		expect(res.body.data.every((p: any) => p.clients_id === ids.fermeVerte)).toBe(true);
	});

	it("ISO-1 a where asking for another tenant's rows must never return them", async () => {
		const byTenant = await t.call('GET', '/api/data/entity/projects', { token: client(), query: { where: { clients_id: ids.atelierSud } } });
		expect(byTenant.status).toBe(200);
		expect(byTenant.body.data).toEqual([]);
		const byId = await t.call('GET', '/api/data/entity/projects', { token: client(), query: { where: { id: ids.sudProjects[0] } } });
		expect(byId.body.data).toEqual([]);
		// bknd merges operator by operator and the policy's `$in` wins: the caller gets its OWN rows, never the other tenant's.
		const byIn = await t.call('GET', '/api/data/entity/projects', { token: client(), query: { where: { clients_id: { $in: [ids.atelierSud] } } } });
		expect(byIn.body.data.every((p: any) => p.clients_id === ids.fermeVerte)).toBe(true);
		const post = await t.call('POST', '/api/data/entity/projects/query', { token: client(), body: { where: { clients_id: ids.atelierSud } } });
		expect(post.status).toBe(200);
		expect(post.body.data).toEqual([]);
	});

	it("ISO-1 reading another tenant's project by id must answer 404, never the row", async () => {
		const res = await t.call('GET', `/api/data/entity/projects/${ids.sudProjects[0]}`, { token: client() });
		expect(res.status).toBe(404);
		expect(res.body.data).toBeUndefined();
		expect((await t.call('GET', `/api/data/entity/projects/${ids.fermeProjects[0]}`, { token: client() })).status).toBe(200);
	});

	it('ISO-2 GET /clients/<other> must answer 404, never the caller\'s own row in its place (hole 5)', async () => {
		const other = await t.call('GET', `/api/data/entity/clients/${ids.atelierSud}`, { token: client() });
		expect(other.status).toBe(404);
		expect(other.text).not.toContain('ferme-verte');
		const list = await t.call('GET', '/api/data/entity/clients', { token: client() });
		expect(list.body.data.map((c: any) => c.slug)).toEqual(['ferme-verte']);
		const bySlug = await t.call('GET', '/api/data/entity/clients', { token: client(), query: { where: { slug: 'atelier-sud' } } });
		expect(bySlug.body.data).toEqual([]);
	});

	it('ISO-5 a client must never read leads, partners, shares or users', async () => {
		for (const entity of ['leads', 'partners', 'project_shares', 'users']) {
			expect((await t.call('GET', `/api/data/entity/${entity}`, { token: client() })).status).toBe(403);
		}
	});

	it("ISO-1 the other tenant's client sees its own projects only (the rule is per tenant, not per user)", async () => {
		const res = await t.call('GET', '/api/data/entity/projects', { token: tokens['client@atelier-sud.mg'], query: { limit: 100 } });
		expect(ids_of(res)).toEqual([...ids.sudProjects].sort((a, b) => a - b));
	});
});

describe('ISO: a partner sees only what is shared with its agency', () => {
	const partner = () => tokens.partner!;

	it('ISO-3 a partner must never see a project that is not shared with it (list, where, by id)', async () => {
		const list = await t.call('GET', '/api/data/entity/projects', { token: partner(), query: { limit: 100 } });
		expect(ids_of(list)).toEqual([ids.sharedProject]);
		const all = [...ids.fermeProjects, ...ids.sudProjects];
		const where = await t.call('GET', '/api/data/entity/projects', { token: partner(), query: { where: { id: { $in: all } }, limit: 100 } });
		expect(ids_of(where)).toEqual([ids.sharedProject]);
		const other = ids.fermeProjects.find((id) => id !== ids.sharedProject)!;
		expect((await t.call('GET', `/api/data/entity/projects/${other}`, { token: partner() })).status).toBe(404);
		expect((await t.call('GET', `/api/data/entity/projects/${ids.sudProjects[0]}`, { token: partner() })).status).toBe(404);
		expect((await t.call('GET', `/api/data/entity/projects/${ids.sharedProject}`, { token: partner() })).status).toBe(200);
	});

	it('ISO-4 a partner resolves the slug of a client owning a shared project, and no other client', async () => {
		const own = await t.call('GET', '/api/data/entity/clients', { token: partner(), query: { where: { slug: 'ferme-verte' } } });
		expect(own.body.data.map((c: any) => c.id)).toEqual([ids.fermeVerte]);
		const other = await t.call('GET', '/api/data/entity/clients', { token: partner(), query: { where: { slug: 'atelier-sud' } } });
		expect(other.body.data).toEqual([]);
		expect((await t.call('GET', `/api/data/entity/clients/${ids.atelierSud}`, { token: partner() })).status).toBe(404);
	});

	it('ISO-3 a partner reads its own agency and its own shares only, and never leads or users', async () => {
		const partners = await t.call('GET', '/api/data/entity/partners', { token: partner() });
		expect(partners.body.data.map((p: any) => p.slug)).toEqual(['studio-partenaire']);
		const shares = await t.call('GET', '/api/data/entity/project_shares', { token: partner() });
		expect(shares.body.data).toHaveLength(1);
		expect(shares.body.data[0]).toMatchObject({ projects_id: ids.sharedProject, access: 'editor', revoked_at: null });
		expect((await t.call('GET', '/api/data/entity/leads', { token: partner() })).status).toBe(403);
		expect((await t.call('GET', '/api/data/entity/users', { token: partner() })).status).toBe(403);
	});

	it('ISO-3 once its share is revoked, the same token must see nothing of the project, at once', async () => {
		const revoke = await t.call('PATCH', `/api/data/entity/project_shares/${ids.share}`, {
			token: tokens.admin,
			body: { revoked_at: new Date().toISOString() }
		});
		expect(revoke.status).toBe(200);
		try {
			const list = await t.call('GET', '/api/data/entity/projects', { token: partner() });
			expect(list.status).toBe(200);
			expect(list.body.data).toEqual([]);
			expect((await t.call('GET', `/api/data/entity/projects/${ids.sharedProject}`, { token: partner() })).status).toBe(404);
			const clients = await t.call('GET', '/api/data/entity/clients', { token: partner() });
			expect(clients.body.data).toEqual([]);
		} finally {
			await t.call('PATCH', `/api/data/entity/project_shares/${ids.share}`, { token: tokens.admin, body: { revoked_at: null } });
		}
		const restored = await t.call('GET', '/api/data/entity/projects', { token: partner() });
		expect(ids_of(restored)).toEqual([ids.sharedProject]);
	});
});

describe('WEB: the calls bknd/README.md documents for the web app', () => {
	const slugToClient = (token: string, slug: string) =>
		t.call('GET', '/api/data/entity/clients', { token, query: { where: { slug }, select: 'id,slug,name' } });
	const tenantProjects = (token: string, clientId: number) =>
		t.call('GET', '/api/data/entity/projects', { token, query: { where: { clients_id: clientId }, sort: '-due_date', limit: 100 } });

	it('WEB-1 resolving a slug then listing its projects gives each role exactly what it may see', async () => {
		for (const [token, expected] of [
			[client(), ids.fermeProjects.length],
			[tokens.partner!, 1],
			[tokens.designer!, ids.fermeProjects.length]
		] as const) {
			const tenant = await slugToClient(token, 'ferme-verte');
			expect(tenant.body.data).toEqual([{ id: ids.fermeVerte, slug: 'ferme-verte', name: 'Ferme Verte' }]);
			const projects = await tenantProjects(token, tenant.body.data[0].id);
			expect(projects.body.data).toHaveLength(expected);
			// `meta.count` is the filtered count for everyone (staff's `meta.total` is the whole table).
			expect(projects.body.meta.count).toBe(expected);
		}
		// A tenant the caller may not read resolves to nothing (the web app answers 404).
		expect((await slugToClient(client(), 'atelier-sud')).body.data).toEqual([]);
		expect((await slugToClient(tokens.partner!, 'atelier-sud')).body.data).toEqual([]);
	});

	it("WEB-2 a partner lists its agency's live shares", async () => {
		const shares = await t.call('GET', '/api/data/entity/project_shares', {
			token: tokens.partner,
			query: { where: { revoked_at: { $isnull: true } }, limit: 100 }
		});
		expect(shares.status).toBe(200);
		expect(shares.body.data.map((s: any) => s.projects_id)).toEqual([ids.sharedProject]);
	});
});

describe('STAFF: the agency sees everything', () => {
	it('STAFF-1 a designer reads every tenant and users, but never a password hash', async () => {
		const projects = await t.call('GET', '/api/data/entity/projects', { token: tokens.designer, query: { limit: 100 } });
		expect(projects.body.data).toHaveLength(ids.fermeProjects.length + ids.sudProjects.length);
		const users = await t.call('GET', '/api/data/entity/users', { token: tokens.designer });
		expect(users.status).toBe(200);
		expect(users.body.data.map((u: any) => u.email).sort()).toEqual(DEMO_USERS.map((u) => u.email).sort());
		expect(users.text).not.toContain('strategy_value');
		expect(users.text).not.toContain('$2');
	});

	it('STAFF-2 a designer writes CRM rows but must never create or change users', async () => {
		const lead = await t.call('POST', '/api/data/entity/leads', { token: tokens.designer, body: { title: 'Test lead', status: 'new' } });
		expect(lead.status).toBe(201);
		expect((await t.call('DELETE', `/api/data/entity/leads/${lead.body.data.id}`, { token: tokens.designer })).status).toBe(200);
		const promote = await t.call('PATCH', '/api/data/entity/users/2', { token: tokens.designer, body: { role: 'admin' } });
		expect(promote.status).toBe(403);
		const create = await t.call('POST', '/api/data/entity/users', { token: tokens.designer, body: { email: 'x@fata.plus', role: 'admin' } });
		expect(create.status).toBe(403);
		const me = await t.call('GET', '/api/auth/me', { token: tokens.designer });
		expect(me.body.user.role).toBe('designer');
	});
});
