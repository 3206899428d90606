import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../shared/live/events';
import { LIVE_PROTOCOL_VERSION, type LiveServerMessage } from '../../shared/live/wire';
import { waitFor } from '../../scripts/lib/waitFor';
import { bkndLogin, bkndPatch, bkndRows } from '../harness/bkndApi';
import { tryUpgrade, type RecordedSocket } from '../harness/rawSocket';
import { DEMO_USERS, startStack, type Stack } from '../harness/stack';
import { signIn, webRequest } from '../harness/webClient';

// Issue 9 item 14 over the real stack: a partner agency (Studio Partenaire, one project of ferme-verte shared with
// it) never receives a budget, an ROI or a money metric: not in the page data (HTML and `__data.json`), not in the
// live events, not from bknd's data API with its own token. The client of the same tenant still gets them all.

let stack: Stack;
let admin = '';
const cookies = { partner: '', client: '' };
/** The shared project (the harvest app), its seeded budget, and the money metrics added here. */
const shared = { id: 0, budget: 0 };
const MONEY_VALUE = 375_123; // a cost per farmer, in MGA
const UNITLESS_VALUE = 20_777_000; // "budget spent": no unit, so it may be money

/** Figures a partner must never receive, in any spelling a page or an event could carry them. */
const moneyIn = (text: string) =>
	['budget_mga', 'roi-panel', 'cost_per_farmer', 'budget_spent', String(MONEY_VALUE), String(UNITLESS_VALUE), String(shared.budget)].filter((s) => text.includes(s));

async function insertMetric(body: Record<string, unknown>): Promise<number> {
	const response = await fetch(`${stack.bknd.url}/api/data/entity/project_metrics`, {
		method: 'POST',
		headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
		body: JSON.stringify({ projects_id: shared.id, date: '2026-01-05', ...body })
	});
	expect(response.status).toBe(201);
	return ((await response.json()) as { data: { id: number } }).data.id;
}

beforeAll(async () => {
	stack = await startStack();
	admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
	cookies.partner = await signIn(stack.web.url, DEMO_USERS.partner);
	cookies.client = await signIn(stack.web.url, DEMO_USERS.clientFerme);
	const partnerToken = await bkndLogin(stack.bknd.url, DEMO_USERS.partner);
	const [project] = await bkndRows<{ id: number }>(stack.bknd.url, partnerToken, 'projects', '&select=id');
	const [row] = await bkndRows<{ id: number; budget_mga: number }>(stack.bknd.url, admin, 'projects', `&where=${encodeURIComponent(JSON.stringify({ id: project!.id }))}`);
	Object.assign(shared, { id: row!.id, budget: row!.budget_mga });
	await insertMetric({ key: 'cost_per_farmer', value: MONEY_VALUE, unit: 'MGA' });
	await insertMetric({ key: 'budget_spent', value: UNITLESS_VALUE, unit: null });
}, 240_000);

afterAll(async () => {
	await stack?.stop();
});

const get = (path: string, cookie: string) => webRequest(stack.web.url, path, { cookie });
const decode = (html: string) => html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('partner money (HARDEN-MONEY)', () => {
	it('HARDEN-MONEY-6 a partner’s dashboard page data (HTML and __data.json) carries no budget, ROI or money metric; the client’s does', async () => {
		expect(shared.budget).toBe(45_000_000);
		const partnerPage = await get('/ferme-verte/dashboard', cookies.partner);
		const partnerData = await get('/ferme-verte/dashboard/__data.json', cookies.partner);
		expect([partnerPage.status, partnerData.status]).toEqual([200, 200]);
		expect(moneyIn(partnerPage.body)).toEqual([]);
		expect(moneyIn(partnerData.body)).toEqual([]);
		expect(partnerPage.body).not.toMatch(/45[\s\u00a0\u202f]000[\s\u00a0\u202f]000/);
		// What the partner does get: the shared project and its non-money metrics, under copy written for an agency.
		expect(partnerPage.body).toContain(`data-project-id="${shared.id}"`);
		expect(partnerPage.body).toContain('data-metric="farmers_onboarded"');
		expect(decode(partnerPage.body)).toContain('Les projets que ce client partage avec votre agence');
		expect(decode(partnerPage.body)).not.toContain('Vos projets, vos validations');
		const english = await webRequest(stack.web.url, '/ferme-verte/dashboard', { cookie: `${cookies.partner}; lang=en` });
		expect(decode(english.body)).toContain('The projects this client shares with your agency');

		const clientPage = await get('/ferme-verte/dashboard', cookies.client);
		const clientData = await get('/ferme-verte/dashboard/__data.json', cookies.client);
		expect(clientPage.body).toContain('data-testid="roi-panel"');
		expect(decode(clientPage.body)).toContain('Vos projets, vos validations');
		for (const figure of ['budget_mga', String(shared.budget), String(MONEY_VALUE), String(UNITLESS_VALUE)]) expect(clientData.body).toContain(figure);
	});

	it('HARDEN-MONEY-7 the partner’s other pages (portal, my space, project, review) carry no budget either', async () => {
		for (const path of ['/ferme-verte', '/ferme-verte/__data.json', '/app', '/app/__data.json', `/ferme-verte/projects/${shared.id}`, `/ferme-verte/projects/${shared.id}/__data.json`, `/ferme-verte/projects/${shared.id}/review/__data.json`]) {
			const page = await get(path, cookies.partner);
			expect({ path, status: page.status, money: moneyIn(page.body) }).toEqual({ path, status: 200, money: [] });
			expect(page.body, path).toContain(`${shared.id}`);
		}
		expect((await get(`/ferme-verte/projects/${shared.id}/__data.json`, cookies.client)).body).toContain(String(shared.budget));
	});

	it('HARDEN-MONEY-8 bknd’s data API, with the partner’s own token, answers no money metric (the client’s token does)', async () => {
		const partner = await bkndLogin(stack.bknd.url, DEMO_USERS.partner);
		const client = await bkndLogin(stack.bknd.url, DEMO_USERS.clientFerme);
		const metrics = (token: string, query = '') => bkndRows<{ value: number; unit: string | null }>(stack.bknd.url, token, 'project_metrics', query);
		const seen = await metrics(partner);
		expect(seen.length).toBeGreaterThan(0);
		expect(seen.filter((m) => m.unit === null || m.unit === 'MGA')).toEqual([]);
		// Asking for them by name, or leaving the unit out of the answer, does not bring them back.
		expect(await metrics(partner, `&where=${encodeURIComponent(JSON.stringify({ unit: 'MGA' }))}`)).toEqual([]);
		expect((await metrics(partner, '&select=id&select=value')).map((m) => m.value)).not.toContain(MONEY_VALUE);
		expect((await metrics(client)).map((m) => m.value)).toEqual(expect.arrayContaining([MONEY_VALUE, UNITLESS_VALUE]));
	});

	it('HARDEN-MONEY-10 bknd’s data API, with the partner’s own token, answers the shared project without its budget and refuses to filter or sort by it', async () => {
		const partner = await bkndLogin(stack.bknd.url, DEMO_USERS.partner);
		const client = await bkndLogin(stack.bknd.url, DEMO_USERS.clientFerme);
		const read = (token: string, query: string) => fetch(`${stack.bknd.url}/api/data/entity/projects?${query}`, { headers: { authorization: `Bearer ${token}` } });
		for (const query of ['', `where=${encodeURIComponent(JSON.stringify({ id: shared.id }))}`]) {
			const answer = await read(partner, query);
			expect(answer.status, query).toBe(200);
			const text = await answer.text();
			expect(text, query).toContain(`"id":${shared.id}`);
			expect(text, query).not.toContain('budget_mga');
			expect(text, query).not.toContain(String(shared.budget));
		}
		for (const query of [`where=${encodeURIComponent(JSON.stringify({ budget_mga: { $gt: 0 } }))}`, 'sort=-budget_mga', 'select=id&select=budget_mga']) {
			expect((await read(partner, query)).status, query).toBeGreaterThanOrEqual(400);
		}
		expect(await (await read(client, '')).text()).toContain('budget_mga');
	});

	it('HARDEN-MONEY-9 live: a budget change and a money metric published while the partner watches reach it without any figure; the client gets them', async () => {
		const partner = await Watcher.open(cookies.partner);
		const client = await Watcher.open(cookies.client);
		try {
			await bkndPatch(stack.bknd.url, admin, 'projects', shared.id, { budget_mga: 46_111_000 });
			const metricId = await insertMetric({ key: 'cost_per_hectare', value: 212_333, unit: 'Ar' });
			const last = () => client.events().find((e) => e.entity === 'project_metrics' && e.row.id === metricId);
			await waitFor(() => client.events().some((e) => e.entity === 'projects' && e.row.budget_mga === 46_111_000) && last() !== undefined, { timeout: 20_000, message: 'the client’s events' });
			const seq = client.seqOf(last()!.id);
			await waitFor(() => partner.lastSeq() >= seq, { timeout: 20_000, message: 'the partner’s events' });
			const projectEvents = partner.events().filter((e) => e.entity === 'projects' && e.row.id === shared.id);
			expect(projectEvents.length).toBeGreaterThan(0);
			for (const event of projectEvents) expect(Object.keys(event.row)).not.toContain('budget_mga');
			// The money metric reaches the partner as a deletion of its id, without the figure.
			expect(partner.events().find((e) => e.entity === 'project_metrics' && e.row.id === metricId)).toMatchObject({ op: 'delete', row: { id: metricId, projects_id: shared.id } });
			for (const secret of ['46111000', 'budget_mga', '212333', 'cost_per_hectare']) expect(partner.text()).not.toContain(secret);
			expect(client.text()).toContain('212333');
		} finally {
			partner.close();
			client.close();
		}
	});
});

/** A dashboard's socket on ferme-verte's live room, with the room token the web app gives that user. */
class Watcher {
	private constructor(private readonly recorded: RecordedSocket) {}

	static async open(cookie: string): Promise<Watcher> {
		const response = await webRequest(stack.web.url, '/api/rooms/token?room=ferme-verte', { cookie });
		expect(response.status).toBe(200);
		const { token, url } = response.json<{ token: string; url: string }>();
		const outcome = await tryUpgrade(`${url}?token=${token}&v=${LIVE_PROTOCOL_VERSION}`);
		if (!outcome.upgraded) throw new Error(`the live room refused the watcher: ${outcome.status} ${outcome.body}`);
		const watcher = new Watcher(outcome);
		await waitFor(() => watcher.messages().some((m) => m.type === 'hello'), { message: 'hello' });
		return watcher;
	}

	messages(): LiveServerMessage[] {
		return this.recorded.frames.map((frame) => JSON.parse(String(frame)) as LiveServerMessage);
	}

	private logged(): Array<Extract<LiveServerMessage, { type: 'event' }>> {
		return this.messages().filter((m): m is Extract<LiveServerMessage, { type: 'event' }> => m.type === 'event');
	}

	events(): LoggedEvent[] {
		return this.logged().map((m) => m.event);
	}

	seqOf(eventId: string): number {
		return this.logged().find((m) => m.event.id === eventId)!.seq;
	}

	lastSeq(): number {
		return this.logged().at(-1)?.seq ?? 0;
	}

	text(): string {
		return this.recorded.frames.join('\n');
	}

	close(): void {
		this.recorded.socket.close();
	}
}
