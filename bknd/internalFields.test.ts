import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_PROJECT_TITLE } from './seed';
import { startTestBknd, type TestBknd } from './testApi';

// Staff-only project columns (`internal_notes`, `margin_pct`) and the `project_metrics` policies, over real
// HTTP. The seed gives the shared ferme-verte project internal notes and metrics.

let t: TestBknd;
const tokens = { admin: '', designer: '', client: '', clientSud: '', partner: '' };
const ids = { ferme: 0, sud: 0, shared: 0, fermeOther: 0, sudProject: 0 };

beforeAll(async () => {
	t = await startTestBknd();
	[tokens.admin, tokens.designer, tokens.client, tokens.clientSud, tokens.partner] = await Promise.all(
		['admin@fata.plus', 'designer@fata.plus', 'client@ferme-verte.mg', 'client@atelier-sud.mg', 'partner@studio-partenaire.mg'].map((e) => t.login(e))
	);
	const clients = (await t.call('GET', '/api/data/entity/clients', { token: tokens.admin })).body.data as any[];
	ids.ferme = clients.find((c) => c.slug === 'ferme-verte').id;
	ids.sud = clients.find((c) => c.slug === 'atelier-sud').id;
	const projects = (await t.call('GET', '/api/data/entity/projects', { token: tokens.admin, query: { limit: 100 } })).body.data as any[];
	ids.shared = projects.find((p) => p.title === SHARED_PROJECT_TITLE).id;
	ids.fermeOther = projects.find((p) => p.clients_id === ids.ferme && p.id !== ids.shared).id;
	ids.sudProject = projects.find((p) => p.clients_id === ids.sud).id;
	// One metric on a ferme-verte project that is not shared with the partner, one on atelier-sud.
	for (const projects_id of [ids.fermeOther, ids.sudProject]) {
		const res = await t.call('POST', '/api/data/entity/project_metrics', { token: tokens.designer, body: { projects_id, key: 'visits', value: 3 } });
		expect(res.status).toBe(201);
	}
}, 90_000);

afterAll(async () => {
	await t?.stop();
});

describe('INTERNAL: staff-only project columns', () => {
	it('INTERNAL-1 a client or partner never reads internal_notes or margin_pct (lists, by id, query)', async () => {
		for (const token of [tokens.client, tokens.partner]) {
			const reads = [
				await t.call('GET', '/api/data/entity/projects', { token, query: { limit: 100 } }),
				await t.call('GET', `/api/data/entity/projects/${ids.shared}`, { token }),
				await t.call('POST', '/api/data/entity/projects/query', { token, body: { limit: 100 } })
			];
			for (const res of reads) {
				expect(res.status).toBe(200);
				expect(res.text).toContain(SHARED_PROJECT_TITLE);
				expect(res.text).not.toContain('internal_notes');
				expect(res.text).not.toContain('margin_pct');
				expect(res.text).not.toContain('Marge serrée');
			}
		}
	});

	it('INTERNAL-2 naming them in select, sort or where is refused for non-staff (no oracle), in any spelling', async () => {
		const attempts = [
			{ select: 'id,internal_notes' },
			{ sort: '-margin_pct' },
			{ where: { margin_pct: { $gt: 10 } } },
			{ where: '{"internal\\u005fnotes":{"$like":"Marge*"}}' }
		];
		for (const query of attempts) {
			const res = await t.call('GET', '/api/data/entity/projects', { token: tokens.client, query });
			expect(res.status, JSON.stringify(query)).toBe(400);
			expect(res.text).not.toContain('Marge serrée');
		}
		const post = await t.call('POST', '/api/data/entity/projects/query', { token: tokens.partner, body: { where: { internal_notes: { $like: 'M*' } } } });
		expect(post.status).toBe(400);
	});

	it('INTERNAL-3 staff read and write them', async () => {
		const res = await t.call('GET', `/api/data/entity/projects/${ids.shared}`, { token: tokens.designer });
		expect(res.body.data).toMatchObject({ internal_notes: expect.stringContaining('Marge serrée'), margin_pct: 18 });
		const patched = await t.call('PATCH', `/api/data/entity/projects/${ids.shared}`, { token: tokens.designer, body: { margin_pct: 19 } });
		expect(patched.body.data.margin_pct).toBe(19);
	});
});

describe('METRICS: project_metrics are readable like their project, writable by staff', () => {
	const metricsOf = async (token: string) =>
		(await t.call('GET', '/api/data/entity/project_metrics', { token, query: { limit: 100 } })).body.data as { projects_id: number }[];

	it('METRICS-1 a client reads the metrics of its tenant’s projects only', async () => {
		const projects = new Set((await metricsOf(tokens.client)).map((m) => m.projects_id));
		expect(projects.has(ids.shared)).toBe(true);
		expect(projects.has(ids.fermeOther)).toBe(true);
		expect(projects.has(ids.sudProject)).toBe(false);
		const sud = new Set((await metricsOf(tokens.clientSud)).map((m) => m.projects_id));
		expect([...sud]).toEqual([ids.sudProject]);
	});

	it('METRICS-2 a partner reads the metrics of its live shared projects only', async () => {
		const projects = new Set((await metricsOf(tokens.partner)).map((m) => m.projects_id));
		expect([...projects]).toEqual([ids.shared]);
		const other = await t.call('GET', '/api/data/entity/project_metrics', { token: tokens.partner, query: { where: { projects_id: ids.fermeOther } } });
		expect(other.body.data).toEqual([]);
	});

	it('METRICS-3 the seed tracks the agritech project over several dates, with targets', async () => {
		const seeded = (await t.call('GET', '/api/data/entity/project_metrics', { token: tokens.designer, query: { where: { projects_id: ids.shared }, limit: 100 } })).body
			.data as any[];
		for (const key of ['farmers_onboarded', 'hectares_covered', 'pilot_sites_active']) {
			const series = seeded.filter((m) => m.key === key);
			expect(series.length, key).toBeGreaterThanOrEqual(3);
			expect(series.every((m) => typeof m.target === 'number' && m.updated_at), key).toBe(true);
		}
	});

	it('METRICS-4 only staff write metrics', async () => {
		for (const token of [tokens.client, tokens.partner]) {
			const res = await t.call('POST', '/api/data/entity/project_metrics', { token, body: { projects_id: ids.shared, key: 'x', value: 1 } });
			expect(res.status).toBe(403);
		}
		const before = await metricsOf(tokens.designer);
		const staff = await t.call('POST', '/api/data/entity/project_metrics', { token: tokens.designer, body: { projects_id: ids.shared, key: 'x', value: 1 } });
		expect(staff.status).toBe(201);
		expect(await metricsOf(tokens.designer)).toHaveLength(before.length + 1);
	});
});
