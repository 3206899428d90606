import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, SHARED_PROJECT_TITLE } from './seed';
import { startTestBknd, type TestBknd } from './testApi';

// `GET /api/fataplus/projects/:id/members` (projectMembers.ts) over real HTTP against a real bknd.

let t: TestBknd;
const tokens: Record<string, string> = {};
const ids = { fermeVerte: 0, sharedProject: 0, otherFermeProject: 0, sudProject: 0, seedShare: 0 };
const members = (id: number) => `/api/fataplus/projects/${id}/members`;

const EXTRA = {
	// A second person of the ferme-verte tenant, a designer without a name, and the user of an agency whose
	// share of the shared project was revoked: only the first two are members.
	fermeAccountant: { email: 'compta@ferme-verte.mg', name: 'Tiana Ravelo' },
	namelessDesigner: { email: 'sans-nom@fata.plus' },
	revokedPartner: { email: 'equipe@atelier-graphique.mg', name: 'Mamy Revoque' }
};

beforeAll(async () => {
	t = await startTestBknd();
	for (const user of DEMO_USERS) tokens[user.email] = await t.login(user.email);
	const admin = tokens['admin@fata.plus']!;

	const clients = await t.call('GET', '/api/data/entity/clients', { token: admin, query: { select: 'id,slug' } });
	ids.fermeVerte = clients.body.data.find((c: any) => c.slug === 'ferme-verte').id;
	const atelierSud = clients.body.data.find((c: any) => c.slug === 'atelier-sud').id;
	const projects = await t.call('GET', '/api/data/entity/projects', { token: admin, query: { limit: 100, select: 'id,clients_id,title' } });
	ids.sharedProject = projects.body.data.find((p: any) => p.title === SHARED_PROJECT_TITLE).id;
	ids.otherFermeProject = projects.body.data.find((p: any) => p.clients_id === ids.fermeVerte && p.id !== ids.sharedProject).id;
	ids.sudProject = projects.body.data.find((p: any) => p.clients_id === atelierSud).id;
	ids.seedShare = (await t.call('GET', '/api/data/entity/project_shares', { token: admin })).body.data[0].id;

	const agency = await t.call('POST', '/api/data/entity/partners', { token: admin, body: { name: 'Atelier Graphique', slug: 'atelier-graphique' } });
	expect(agency.status).toBe(201);
	const revoked = await t.call('POST', '/api/data/entity/project_shares', {
		token: admin,
		body: { projects_id: ids.sharedProject, partners_id: agency.body.data.id, access: 'editor', granted_at: '2025-09-01T00:00:00.000Z', revoked_at: '2025-10-01T00:00:00.000Z' }
	});
	expect(revoked.status).toBe(201);

	const auth = t.bknd.app.module.auth;
	await auth.createUser({ ...EXTRA.fermeAccountant, password: 'fataplus-demo', role: 'client', client_id: ids.fermeVerte });
	await auth.createUser({ ...EXTRA.namelessDesigner, password: 'fataplus-demo', role: 'designer' });
	await auth.createUser({ ...EXTRA.revokedPartner, password: 'fataplus-demo', role: 'partner', partner_id: agency.body.data.id });
	tokens[EXTRA.revokedPartner.email] = await t.login(EXTRA.revokedPartner.email);
}, 60_000);

afterAll(async () => {
	await t?.stop();
});

const names = (body: { name: string }[]) => body.map((m) => m.name);
const staffAndFerme = ['Admin Fataplus', 'Fara Rasoa', 'Hery Rakoto', 'sans-nom', 'Tiana Ravelo'];

describe('MEMBERS: who is listed', () => {
	it('MEMBERS-1 staff, a client of the tenant and a partner holding a live share all get the same list, without emails', async () => {
		const asked = ['admin@fata.plus', 'designer@fata.plus', 'client@ferme-verte.mg', 'partner@studio-partenaire.mg'];
		const answers = await Promise.all(asked.map((email) => t.call('GET', members(ids.sharedProject), { token: tokens[email] })));
		for (const res of answers) {
			expect(res.status).toBe(200);
			expect(res.body).toEqual(answers[0]!.body);
			// Never an email, nor any field but these three, in the answer.
			expect(res.text).not.toContain('@');
			for (const member of res.body) expect(Object.keys(member).sort()).toEqual(['name', 'role', 'userId']);
		}
		const list = answers[0]!.body as { userId: string; name: string; role: string }[];
		expect(names(list)).toEqual([...staffAndFerme, 'Lova Andria'].sort((a, b) => a.localeCompare(b)));
		expect(list.find((m) => m.name === 'Lova Andria')).toMatchObject({ role: 'partner', userId: expect.stringMatching(/^\d+$/) });
		expect(list.find((m) => m.name === 'Fara Rasoa')?.role).toBe('client');
		// Another tenant's client and the agency whose share was revoked are not members.
		expect(answers[0]!.text).not.toContain('Nirina Rabe');
		expect(answers[0]!.text).not.toContain('Mamy Revoque');
	});

	it('MEMBERS-2 a project that is not shared lists no partner, and its client sees it too', async () => {
		const res = await t.call('GET', members(ids.otherFermeProject), { token: tokens['client@ferme-verte.mg'] });
		expect(res.status).toBe(200);
		expect(names(res.body)).toEqual(staffAndFerme);
	});
});

describe('MEMBERS: who may ask', () => {
	it("MEMBERS-3 a client of another tenant gets 404 and never a name of the project's people", async () => {
		const res = await t.call('GET', members(ids.sharedProject), { token: tokens['client@atelier-sud.mg'] });
		expect(res.status).toBe(404);
		for (const name of [...staffAndFerme, 'Lova Andria']) expect(res.text).not.toContain(name);
		// Same answer as for a project that does not exist: existence is not revealed.
		expect((await t.call('GET', members(999_999), { token: tokens['client@atelier-sud.mg'] })).text).toBe(res.text);
		// And a client of ferme-verte gets 404 for an atelier-sud project.
		expect((await t.call('GET', members(ids.sudProject), { token: tokens['client@ferme-verte.mg'] })).status).toBe(404);
	});

	it('MEMBERS-4 a partner whose share is revoked, or who has none for the project, gets 404', async () => {
		const revoked = await t.call('GET', members(ids.sharedProject), { token: tokens[EXTRA.revokedPartner.email] });
		expect(revoked.status).toBe(404);
		expect(revoked.text).not.toContain('Hery Rakoto');
		expect((await t.call('GET', members(ids.otherFermeProject), { token: tokens['partner@studio-partenaire.mg'] })).status).toBe(404);
	});

	it('MEMBERS-5 anonymous (or a forged token) gets 401', async () => {
		const anonymous = await t.call('GET', members(ids.sharedProject));
		expect(anonymous.status).toBe(401);
		expect(anonymous.text).not.toContain('Hery Rakoto');
		expect((await t.call('GET', members(ids.sharedProject), { token: 'not.a.token' })).status).toBe(401);
		expect((await t.call('GET', members(999_999))).status).toBe(401);
	});

	it('MEMBERS-6 an unknown project, or an id that is not one, is 404 even for staff', async () => {
		for (const id of ['999999', '0', 'abc', '1.5']) {
			expect((await t.call('GET', `/api/fataplus/projects/${id}/members`, { token: tokens['admin@fata.plus'] })).status).toBe(404);
		}
	});

	it('MEMBERS-7 revoking a share applies at the next request, same token: the partner gets 404 and leaves the list', async () => {
		const admin = tokens['admin@fata.plus']!;
		const patch = await t.call('PATCH', `/api/data/entity/project_shares/${ids.seedShare}`, { token: admin, body: { revoked_at: new Date().toISOString() } });
		expect(patch.status).toBe(200);
		expect((await t.call('GET', members(ids.sharedProject), { token: tokens['partner@studio-partenaire.mg'] })).status).toBe(404);
		const list = await t.call('GET', members(ids.sharedProject), { token: admin });
		expect(names(list.body)).toEqual(staffAndFerme);
	});
});
