import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBknd, type TestBknd } from './testApi';

// The holes bknd leaves in tenant isolation (docs/bknd.md "The guard, and the holes we close", numbered as there; 7-9 found while
// building bknd/), each attacked over real HTTP. Every test names what must never happen.

let t: TestBknd;
let admin = '';
let client = '';
let partner = '';
let designer = '';
const ids = { fermeVerte: 0, atelierSud: 0, fermeProject: 0, sudProject: 0, share: 0 };

beforeAll(async () => {
	t = await startTestBknd();
	[admin, client, partner, designer] = await Promise.all(
		['admin@fata.plus', 'client@ferme-verte.mg', 'partner@studio-partenaire.mg', 'designer@fata.plus'].map((e) => t.login(e))
	);
	const clients = await t.call('GET', '/api/data/entity/clients', { token: admin });
	ids.fermeVerte = clients.body.data.find((c: any) => c.slug === 'ferme-verte').id;
	ids.atelierSud = clients.body.data.find((c: any) => c.slug === 'atelier-sud').id;
	const projects = await t.call('GET', '/api/data/entity/projects', { token: admin, query: { limit: 100 } });
	ids.fermeProject = projects.body.data.find((p: any) => p.clients_id === ids.fermeVerte).id;
	ids.sudProject = projects.body.data.find((p: any) => p.clients_id === ids.atelierSud).id;
	ids.share = (await t.call('GET', '/api/data/entity/project_shares', { token: admin })).body.data[0].id;
}, 60_000);

afterAll(async () => {
	await t?.stop();
});

async function usersNamed(email: string) {
	return (await t.call('GET', '/api/data/entity/users', { token: admin, query: { where: { email } } })).body.data as any[];
}

describe('hole 1: self-registration', () => {
	it('HOLE-1 nobody can register, under any spelling of the route, and nobody becomes admin or another tenant', async () => {
		// Without `role` (bknd itself refuses a body with one): this is the body that worked against bknd 0.20.
		const body = { email: 'intrus@example.mg', password: 'un-mot-de-passe', client_id: ids.atelierSud };
		for (const path of [
			'/api/auth/password/register',
			'/api/auth/password/REGISTER',
			'/api/auth/password/register/',
			'/api/auth/password%2Fregister',
			'/api/auth/%70assword/register'
		]) {
			const res = await t.call('POST', path, { body });
			expect(res.status, path).toBeGreaterThanOrEqual(400);
			expect(res.text, path).not.toContain('token');
		}
		const asAdmin = await t.call('POST', '/api/auth/password/register', { body: { ...body, role: 'admin' } });
		expect(asAdmin.status).toBeGreaterThanOrEqual(400);
		expect(await usersNamed('intrus@example.mg')).toEqual([]);
		const login = await t.call('POST', '/api/auth/password/login', { body: { email: body.email, password: body.password } });
		expect(login.status).toBeGreaterThanOrEqual(400);
	});

	it('HOLE-1 only an admin may create users through the auth actions', async () => {
		const body = { email: 'nouveau@fata.plus', password: 'un-mot-de-passe' };
		for (const token of [client, partner, designer, undefined]) {
			expect((await t.call('POST', '/api/auth/password/actions/create', { token, body })).status).toBe(403);
		}
		expect(await usersNamed(body.email)).toEqual([]);
	});
});

describe('hole 2: with= and related routes', () => {
	it('HOLE-2 a non-staff with=users / with=clients must never return related rows (refused)', async () => {
		for (const [token, relation] of [
			[client, 'clients'],
			[client, 'users'],
			[partner, 'clients'],
			[partner, 'project_shares']
		] as const) {
			const res = await t.call('GET', '/api/data/entity/projects', { token, query: { with: relation } });
			expect(res.status).toBe(400);
			expect(res.text).not.toContain('@');
		}
		const post = await t.call('POST', '/api/data/entity/projects/query', { token: client, body: { with: { clients: {} } } });
		expect(post.status).toBe(400);
		const join = await t.call('GET', '/api/data/entity/projects', { token: client, query: { join: 'clients' } });
		expect(join.status).toBe(400);
		const byId = await t.call('GET', `/api/data/entity/projects/${ids.fermeProject}`, { token: client, query: { with: 'clients' } });
		expect(byId.status).toBe(400);
	});

	it('HOLE-2 a non-staff must never list related rows through /:entity/:id/:reference', async () => {
		const res = await t.call('GET', `/api/data/entity/clients/${ids.atelierSud}/projects`, { token: client });
		expect(res.status).toBe(403);
		expect(res.text).not.toContain('Atelier');
	});

	it('HOLE-2 staff keep with= (the CRM needs it)', async () => {
		const res = await t.call('GET', '/api/data/entity/projects', { token: designer, query: { with: 'clients', limit: 1 } });
		expect(res.status).toBe(200);
		expect(res.body.data[0].clients).toHaveProperty('slug');
	});
});

describe('hole 3: counts', () => {
	it('HOLE-3 fn/count and fn/exists must never answer about other tenants for a non-staff (refused)', async () => {
		for (const fn of ['count', 'exists']) {
			for (const token of [client, partner]) {
				const res = await t.call('POST', `/api/data/entity/projects/fn/${fn}`, { token, body: { clients_id: ids.atelierSud } });
				expect(res.status).toBe(403);
				expect(res.body).not.toHaveProperty('count');
				expect(res.body).not.toHaveProperty('exists');
			}
		}
	});

	it('HOLE-3 meta.total must never count other tenants for a non-staff (lists and 404s)', async () => {
		const all = (await t.call('GET', '/api/data/entity/projects', { token: admin, query: { limit: 1 } })).body.meta.total;
		const own = await t.call('GET', '/api/data/entity/projects', { token: client, query: { limit: 1 } });
		expect(own.body.meta.total).toBe(own.body.meta.count);
		expect(own.body.meta.total).toBeLessThan(all);
		const shared = await t.call('GET', '/api/data/entity/projects', { token: partner });
		expect(shared.body.meta.total).toBe(1);
		const missing = await t.call('GET', `/api/data/entity/projects/${ids.sudProject}`, { token: client });
		expect(missing.status).toBe(404);
		expect(missing.body.meta.total).toBe(0);
		const clients = await t.call('POST', '/api/data/entity/clients/query', { token: client, body: {} });
		expect(clients.body.meta.total).toBe(1);
	});
});

describe('hole 4: tenant keys', () => {
	it('HOLE-4 a non-staff must never move a row to another tenant: refused, and the row is unchanged', async () => {
		const attempts = [
			[client, `/api/data/entity/projects/${ids.fermeProject}`, { clients_id: ids.atelierSud }],
			[client, '/api/data/entity/projects', { update: { clients_id: ids.atelierSud }, where: { id: ids.fermeProject } }],
			[partner, `/api/data/entity/project_shares/${ids.share}`, { partners_id: 999, projects_id: ids.sudProject }]
		] as const;
		for (const [token, path, body] of attempts) {
			const res = await t.call('PATCH', path, { token, body });
			expect(res.status, path).toBe(403);
		}
		const project = await t.call('GET', `/api/data/entity/projects/${ids.fermeProject}`, { token: admin });
		expect(project.body.data.clients_id).toBe(ids.fermeVerte);
		const share = await t.call('GET', `/api/data/entity/project_shares/${ids.share}`, { token: admin });
		expect(share.body.data).toMatchObject({ partners_id: expect.any(Number), revoked_at: null });
		expect(share.body.data.projects_id).not.toBe(ids.sudProject);
	});

	it('HOLE-4 a non-staff must never write at all yet (no create, update or delete)', async () => {
		expect((await t.call('POST', '/api/data/entity/projects', { token: client, body: { title: 'x' } })).status).toBe(403);
		expect((await t.call('PATCH', `/api/data/entity/projects/${ids.fermeProject}`, { token: client, body: { title: 'x' } })).status).toBe(403);
		expect((await t.call('DELETE', `/api/data/entity/projects/${ids.fermeProject}`, { token: client })).status).toBe(403);
		const project = await t.call('GET', `/api/data/entity/projects/${ids.fermeProject}`, { token: admin });
		expect(project.body.data.title).not.toBe('x');
	});

	it('HOLE-4 staff may re-assign a row to another tenant', async () => {
		const moved = await t.call('PATCH', `/api/data/entity/projects/${ids.fermeProject}`, { token: designer, body: { clients_id: ids.atelierSud } });
		expect(moved.status).toBe(200);
		await t.call('PATCH', `/api/data/entity/projects/${ids.fermeProject}`, { token: designer, body: { clients_id: ids.fermeVerte } });
	});
});

describe('hole 6: media', () => {
	it('HOLE-6 a ".." or "\\" media name must never reach a storage adapter (refused); the media list is staff-only (media.test.ts)', async () => {
		for (const path of ['/api/media/upload/..%2F..%2Fescape.txt', '/api/media/upload/%2e%2e%2fescape.txt', '/api/media/file/..%5Cescape.txt']) {
			expect((await t.call('POST', path, { token: admin, body: 'x' })).status, path).toBe(400);
		}
		expect((await t.call('GET', '/api/media/files', { token: client })).status).toBe(403);
	});
});

describe('holes found while building bknd/', () => {
	it('HOLE-7 a non-staff where with $or must never reach another tenant (refused)', async () => {
		for (const where of [{ $or: { title: { $like: '*' } } }, { status: 'intake', $or: { id: { $gt: 0 } } }]) {
			const res = await t.call('GET', '/api/data/entity/projects', { token: client, query: { where } });
			expect(res.status).toBe(400);
			expect(res.text).not.toContain('Atelier');
		}
		const post = await t.call('POST', '/api/data/entity/projects/query', { token: partner, body: { where: { $or: { id: { $gt: 0 } } } } });
		expect(post.status).toBe(400);
	});

	it('HOLE-8 $in against a policy $in must never widen it, and a qualified key must never shadow the policy', async () => {
		const everyId = Array.from({ length: 50 }, (_, i) => i + 1);
		const widened = await t.call('GET', '/api/data/entity/projects', { token: partner, query: { where: { id: { $in: everyId } } } });
		expect(widened.body.data).toHaveLength(1);
		const tenants = await t.call('GET', '/api/data/entity/projects', { token: client, query: { where: { clients_id: { $in: [ids.fermeVerte, ids.atelierSud] } }, limit: 100 } });
		expect(tenants.body.data.every((p: any) => p.clients_id === ids.fermeVerte)).toBe(true);
		const shadow = await t.call('GET', '/api/data/entity/projects', { token: client, query: { where: { 'projects.clients_id': ids.atelierSud } } });
		expect(shadow.status).toBe(400);
		const joined = await t.call('GET', '/api/data/entity/projects', { token: client, query: { where: { 'clients.slug': 'atelier-sud' } } });
		expect(joined.status).toBe(400);
	});

	it('HOLE-9 nobody but an admin may query password hashes through where (a prefix oracle)', async () => {
		const res = await t.call('GET', '/api/data/entity/users', { token: designer, query: { where: { strategy_value: { $like: '$2*' } } } });
		expect(res.status).toBe(400);
		const escaped = await t.call('GET', `/api/data/entity/users?where=${encodeURIComponent('{"strategy\\u005fvalue":{"$like":"$2*"}}')}`, { token: designer });
		expect(escaped.status).toBe(400);
	});

	it('HOLE-10 a dropping schema sync must never run over HTTP, even for an admin', async () => {
		expect((await t.call('GET', '/api/data/sync', { token: admin, query: { drop: 'true' } })).status).toBe(403);
		expect((await t.call('GET', '/api/data/sync', { token: designer })).status).toBe(403);
	});
});
