import { rmSync } from 'node:fs';
import { openSqliteFile } from './sqliteFile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from './seed';
import { startTestBknd, tempDbPath, type TestBknd } from './testApi';

// Seeding, restarts and the data rules the schema enforces, on one SQLite file booted twice.

const ENTITIES = ['clients', 'projects', 'partners', 'project_shares', 'leads', 'project_metrics', 'users'] as const;
const temp = tempDbPath();
let t: TestBknd;
let admin = '';

async function counts(api: TestBknd, token: string): Promise<Record<string, number>> {
	const result: Record<string, number> = {};
	for (const entity of ENTITIES) {
		const res = await api.call('GET', `/api/data/entity/${entity}`, { token, query: { limit: 1 } });
		result[entity] = res.body.meta.total;
	}
	return result;
}

beforeAll(async () => {
	t = await startTestBknd({ dbPath: temp.dbPath });
	admin = await t.login('admin@fata.plus');
}, 60_000);

afterAll(async () => {
	await t?.stop();
	rmSync(temp.dir, { recursive: true, force: true });
});

describe('DATA: seed and restarts', () => {
	it('DATA-1 the seed must never duplicate: a second run creates nothing', async () => {
		const before = await counts(t, admin);
		expect(before).toMatchObject({ clients: 2, partners: 1, project_shares: 1, users: 5 });
		expect(before.projects).toBeGreaterThanOrEqual(6);
		expect(before.leads).toBeGreaterThanOrEqual(2);
		await seedDemo(t.bknd.app);
		expect(await counts(t, admin)).toEqual(before);
	});

	it('DATA-2 a restart on the same file must never lose data (add-only sync), and its seed adds nothing', async () => {
		const lead = await t.call('POST', '/api/data/entity/leads', {
			token: admin,
			body: { title: 'Refonte du site de la mairie', company: 'Commune de Fianarantsoa', status: 'proposal', analysis: { fit: 'design' } }
		});
		expect(lead.status).toBe(201);
		const before = await counts(t, admin);
		await t.stop(true);

		t = await startTestBknd({ dbPath: temp.dbPath });
		admin = await t.login('admin@fata.plus');
		expect(await counts(t, admin)).toEqual(before);
		const kept = await t.call('GET', `/api/data/entity/leads/${lead.body.data.id}`, { token: admin });
		expect(kept.body.data).toMatchObject({ title: 'Refonte du site de la mairie', analysis: { fit: 'design' } });
	});

	it('DATA-3 the database runs in WAL mode (the mode is stored in the file)', async () => {
		const probe = openSqliteFile(temp.dbPath);
		try {
			const { rows } = await probe.execute('PRAGMA journal_mode');
			expect(rows[0]?.journal_mode).toBe('wal');
		} finally {
			probe.close();
		}
	});
});

describe('DATA: rules bknd cannot express', () => {
	it('DATA-4 a client slug must never be reserved or break the subdomain rule, nor change once the client has projects; created_at is stamped', async () => {
		for (const slug of ['api', 'fataplus', 'Ferme Verte', '-bad', 'a_b', '']) {
			const res = await t.call('POST', '/api/data/entity/clients', { token: admin, body: { name: 'Essai', slug } });
			expect(res.status, slug).toBe(400);
		}
		const ok = await t.call('POST', '/api/data/entity/clients', { token: admin, body: { name: 'Miel du Sud', slug: 'miel-du-sud' } });
		expect(ok.status).toBe(201);
		expect(Date.parse(ok.body.data.created_at)).toBeGreaterThan(Date.now() - 60_000);
		const rename = await t.call('PATCH', `/api/data/entity/clients/${ok.body.data.id}`, { token: admin, body: { slug: 'admin' } });
		expect(rename.status).toBe(400);
		const duplicate = await t.call('POST', '/api/data/entity/clients', { token: admin, body: { name: 'Copie', slug: 'miel-du-sud' } });
		expect(duplicate.status).toBe(409);
		const same = await t.call('PATCH', `/api/data/entity/clients/${ok.body.data.id}`, { token: admin, body: { slug: 'miel-du-sud', name: 'Miel du Sud SARL' } });
		expect(same.status).toBe(200);
		// Renaming is fine while the client has no project...
		const renamed = await t.call('PATCH', `/api/data/entity/clients/${ok.body.data.id}`, { token: admin, body: { slug: 'miel-sud' } });
		expect(renamed.status).toBe(200);
		// ...and must never happen once one exists: its rooms and links are named after the slug.
		const project = await t.call('POST', '/api/data/entity/projects', { token: admin, body: { title: 'Ruchers', clients_id: ok.body.data.id } });
		expect(project.status).toBe(201);
		const locked = await t.call('PATCH', `/api/data/entity/clients/${ok.body.data.id}`, { token: admin, body: { slug: 'miel-du-nord' } });
		expect(locked.status).toBe(409);
		const after = await t.call('GET', `/api/data/entity/clients/${ok.body.data.id}`, { token: admin });
		expect(after.body.data.slug).toBe('miel-sud');
		await t.call('DELETE', `/api/data/entity/projects/${project.body.data.id}`, { token: admin });
		await t.call('DELETE', `/api/data/entity/clients/${ok.body.data.id}`, { token: admin });
	});

	it('DATA-5 a budget must never be a fraction of an ariary, and progress stays within 0-100', async () => {
		const fraction = await t.call('POST', '/api/data/entity/projects', { token: admin, body: { title: 'Essai', budget_mga: 10.5 } });
		expect(fraction.status).toBe(400);
		const tooFar = await t.call('POST', '/api/data/entity/projects', { token: admin, body: { title: 'Essai', progress: 150 } });
		expect(tooFar.status).toBeGreaterThanOrEqual(400);
		const titles = await t.call('GET', '/api/data/entity/projects', { token: admin, query: { where: { title: 'Essai' } } });
		expect(titles.body.data).toEqual([]);
	});

	it('DATA-6 an insert without a status or access gets the enum default (bknd drops enumm default_value)', async () => {
		const project = await t.call('POST', '/api/data/entity/projects', { token: admin, body: { title: 'Sans statut' } });
		expect(project.body.data).toMatchObject({ status: 'intake', progress: 0 });
		const lead = await t.call('POST', '/api/data/entity/leads', { token: admin, body: { title: 'Sans statut' } });
		expect(lead.body.data.status).toBe('new');
		await t.call('DELETE', `/api/data/entity/projects/${project.body.data.id}`, { token: admin });
		await t.call('DELETE', `/api/data/entity/leads/${lead.body.data.id}`, { token: admin });
	});
});
