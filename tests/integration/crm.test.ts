import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../shared/live/events';
import { LIVE_PROTOCOL_VERSION, type LiveServerMessage } from '../../shared/live/wire';
import { isLate, todayInMadagascar } from '../../web/src/lib/live/dashboardViews';
import { waitFor } from '../../scripts/lib/waitFor';
import { bkndLogin, bkndRows } from '../harness/bkndApi';
import { tryUpgrade, type RecordedSocket } from '../harness/rawSocket';
import { mintRoomToken } from '../harness/roomTokens';
import { DEMO_USERS, startStack, type Stack } from '../harness/stack';
import { signIn, webRequest, type WebResponse } from '../harness/webClient';

// The CRM (`/crm`, staff only) over the real stack: the built web app under wrangler dev, seeded bknd, live rooms.
// Forms are posted as a browser without JavaScript posts them (urlencoded, SvelteKit form actions), and what they
// did is read back from bknd itself. The web app reaches bknd through a switch in front of it, so a test can make
// bknd unreachable for the web app alone. What must never happen: a non-staff user reading or changing anything
// through the CRM, a refused form creating or changing anything, a refused form losing what was typed.

interface Row {
	id: number;
	[key: string]: unknown;
}

/** A pass-through HTTP proxy in front of bknd that a test can cut: everything (`down`) or only data writes. */
class BkndSwitch {
	target = '';
	mode: 'up' | 'writesDown' | 'down' = 'up';
	private constructor(
		private readonly server: Server,
		readonly url: string
	) {}

	static async start(): Promise<BkndSwitch> {
		let relay: BkndSwitch | undefined;
		const server = createServer((req, res) => relay!.relay(req, res));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		relay = new BkndSwitch(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
		return relay;
	}

	private relay(req: IncomingMessage, res: ServerResponse): void {
		const write = req.method !== 'GET' && (req.url ?? '').startsWith('/api/data/') && !(req.url ?? '').endsWith('/query');
		// A dropped connection, as when bknd's process is gone: the web app's fetch fails.
		if (!this.target || this.mode === 'down' || (this.mode === 'writesDown' && write)) return void req.socket.destroy();
		const target = new URL(this.target);
		const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	}

	close(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((resolve) => this.server.close(() => resolve()));
	}
}

/** A client dashboard's socket on a live room, recording every event (as tests/integration/liveBridge.test.ts). */
class Watcher {
	private constructor(private readonly recorded: RecordedSocket) {}

	static async open(room: string): Promise<Watcher> {
		const token = await mintRoomToken({ tenant: room as never, role: 'client', projects: [] }, { ttlSeconds: 600 });
		const outcome = await tryUpgrade(`${stack.rooms.url.replace('http', 'ws')}/ws/live/${room}?token=${token}&v=${LIVE_PROTOCOL_VERSION}`);
		if (!outcome.upgraded) throw new Error(`live room ${room} refused the watcher: ${outcome.status}`);
		const watcher = new Watcher(outcome);
		await waitFor(() => watcher.messages().some((m) => m.type === 'hello'), { message: `hello from ${room}` });
		return watcher;
	}

	messages(): LiveServerMessage[] {
		return this.recorded.frames.map((frame) => JSON.parse(String(frame)) as LiveServerMessage);
	}

	events(): LoggedEvent[] {
		return this.messages().flatMap((m) => (m.type === 'event' ? [m.event] : []));
	}

	close(): void {
		this.recorded.socket.close();
	}
}

let stack: Stack;
let bknd: BkndSwitch;
let admin = '';
const cookies: Record<keyof typeof DEMO_USERS, string> = { admin: '', designer: '', partner: '', clientFerme: '', clientSud: '' };
const ids = { ferme: 0, partner: 0, designer: 0, fermeProjects: [] as Row[] };

beforeAll(async () => {
	bknd = await BkndSwitch.start();
	// BKND_URL given again: wrangler keeps the last `--var` of a name, so the web app talks to bknd through the switch.
	stack = await startStack({ webVars: { BKND_URL: bknd.url } });
	bknd.target = stack.bknd.url;
	admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
	for (const key of Object.keys(DEMO_USERS) as (keyof typeof DEMO_USERS)[]) cookies[key] = await signIn(stack.web.url, DEMO_USERS[key]);
	ids.ferme = (await rows('clients', { slug: 'ferme-verte' }))[0]!.id;
	ids.partner = (await rows('partners', { slug: 'studio-partenaire' }))[0]!.id;
	ids.designer = (await rows('users', { email: DEMO_USERS.designer }))[0]!.id;
	ids.fermeProjects = await rows('projects', { clients_id: ids.ferme });
}, 240_000);

afterAll(async () => {
	await stack?.stop();
	await bknd?.close();
});

/** Rows of an entity as bknd has them (admin token, straight to bknd): what the CRM did, not what it says. */
function rows(entity: string, where?: Record<string, unknown>): Promise<Row[]> {
	return bkndRows<Row>(stack.bknd.url, admin, entity, `${where ? `&where=${encodeURIComponent(JSON.stringify(where))}` : ''}&sort=id`);
}

async function row(entity: string, id: number): Promise<Row | undefined> {
	return (await rows(entity, { id }))[0];
}

/** Everything the CRM can change, to prove a refused request changed nothing. */
async function crmState(): Promise<string> {
	const all = await Promise.all(['clients', 'projects', 'project_shares', 'project_metrics'].map((entity) => rows(entity)));
	return JSON.stringify(all);
}

function get(path: string, cookie?: string): Promise<WebResponse> {
	return webRequest(stack.web.url, path, { cookie });
}

/** Posts a form as a browser without JavaScript does (SvelteKit checks the origin). */
function post(path: string, fields: Record<string, string | number>, cookie?: string): Promise<WebResponse> {
	const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
	return webRequest(stack.web.url, path, { method: 'POST', cookie, body, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });
}

const decode = (html: string) =>
	html.replace(/<!--[^]*?-->/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The field errors a page shows, by field name (the French text next to each field). */
function fieldErrors(html: string): Record<string, string> {
	return Object.fromEntries([...decode(html).matchAll(/data-testid="field-error" data-field="([\w.]+)">([^<]*)</g)].map((m) => [m[1]!, m[2]!.trim()]));
}

/** The value an input of the page holds (`name` attribute), as the browser would fill it. */
function inputValue(html: string, name: string): string | undefined {
	const tag = decode(html).match(new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`))?.[0];
	return tag?.match(/\bvalue="([^"]*)"/)?.[1];
}

/** Where a redirect points. */
const location = (response: WebResponse) => String(response.headers.location ?? '');

const count = (html: string, testid: string) => html.split(`data-testid="${testid}"`).length - 1;

describe('CRM staff only', () => {
	const pages = () => [
		'/crm',
		'/crm?q=verte',
		'/crm/clients/new',
		`/crm/clients/${ids.ferme}`,
		`/crm/clients/${ids.ferme}/edit`,
		'/crm/projects',
		'/crm/projects?late=1',
		'/crm/projects/board',
		'/crm/projects/new',
		`/crm/projects/${ids.fermeProjects[0]!.id}`,
		`/crm/projects/${ids.fermeProjects[0]!.id}/edit`
	];

	it('CRM-ACCESS-1 a client or a partner gets 403 on every CRM page, and nothing of the CRM in it', async () => {
		for (const who of ['clientFerme', 'clientSud', 'partner'] as const) {
			for (const path of pages()) {
				const response = await get(path, cookies[who]);
				expect(response.status, `${who} ${path}`).toBe(403);
				// The staff-only notes of the seeded projects (never shown to clients or partners).
				expect(response.body, `${who} ${path}`).not.toContain('Marge serrée');
			}
			// The data of client-side navigations: SvelteKit answers 200 with the page's error node, and no data.
			for (const path of ['/crm/__data.json', `/crm/projects/${ids.fermeProjects[0]!.id}/__data.json`]) {
				const response = await get(path, cookies[who]);
				const nodes = (response.json() as { nodes: Array<{ type: string; status?: number } | null> }).nodes;
				expect(nodes.filter((n) => n?.type === 'error').map((n) => n!.status), `${who} ${path}`).toEqual([403]);
				expect(response.body).not.toContain('Marge serrée');
				expect(response.body).not.toContain('Ferme Verte');
			}
		}
	});

	it('CRM-ACCESS-2 anonymous visitors are sent to sign in, then back', async () => {
		for (const path of ['/crm', `/crm/projects/${ids.fermeProjects[0]!.id}`]) {
			const response = await get(path);
			expect(response.status).toBe(303);
			expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
		}
	});

	it('CRM-ACCESS-3 every CRM form action refuses a client, a partner and anonymous visitors, and changes nothing', async () => {
		const project = ids.fermeProjects[0]!.id;
		const [metric] = await rows('project_metrics', { projects_id: project });
		const [share] = await rows('project_shares');
		const posts: Array<[string, Record<string, string | number>]> = [
			['/crm/clients/new', { name: 'Intrus SARL', slug: 'intrus' }],
			[`/crm/clients/${ids.ferme}/edit`, { name: 'Piratée', slug: 'ferme-verte' }],
			['/crm/projects/new', { clients_id: ids.ferme, title: 'Intrusion', category: 'design', status: 'intake' }],
			[`/crm/projects/${project}/edit`, { title: 'Piraté', category: 'design', status: 'cancelled' }],
			['/crm/projects/board', { project_id: project, status: 'cancelled' }],
			[`/crm/projects/${project}?/addMetric`, { key: 'farmers_onboarded', value: 1, date: '2026-01-01' }],
			[`/crm/projects/${project}?/editMetric`, { metric_id: metric!.id, key: 'farmers_onboarded', value: 1, date: '2026-01-01' }],
			[`/crm/projects/${project}?/deleteMetric`, { metric_id: metric!.id }],
			[`/crm/projects/${project}?/grantShare`, { partners_id: ids.partner, access: 'editor' }],
			[`/crm/projects/${project}?/revokeShare`, { share_id: share!.id }]
		];
		const before = await crmState();
		for (const [path, fields] of posts) {
			for (const who of ['clientFerme', 'partner'] as const) {
				expect((await post(path, fields, cookies[who])).status, `${who} ${path}`).toBe(403);
			}
			const anonymous = await post(path, fields);
			expect(anonymous.status, `anonymous ${path}`).toBe(303);
			expect(anonymous.headers.location).toMatch(/^\/login\?next=/);
		}
		expect(await crmState()).toBe(before);
	});
});

describe('CRM clients', () => {
	it('CRM-CLIENTS-1 the list is searched and paged by the server (?q=&page=)', async () => {
		// Fourteen clients straight into bknd: more than one page of 12.
		for (let i = 1; i <= 14; i++) {
			const n = String(i).padStart(2, '0');
			const response = await fetch(`${stack.bknd.url}/api/data/entity/clients`, {
				method: 'POST',
				headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
				body: JSON.stringify({ name: `Coopérative Pagination ${n}`, slug: `pagination-${n}`, contact_name: `Contact ${n}` })
			});
			expect(response.status).toBe(201);
		}
		const first = await get('/crm?q=Pagination', cookies.designer);
		expect(first.status).toBe(200);
		expect(first.body).toContain('data-count="14"');
		expect(count(first.body, 'crm-client')).toBe(12);
		expect(first.body).toContain('Coopérative Pagination 01');
		expect(first.body).toContain('Coopérative Pagination 12');
		expect(first.body).not.toContain('Coopérative Pagination 13');
		expect(first.body).not.toContain('Ferme Verte'); // the search is applied, not only the paging
		expect(decode(first.body)).toContain('Page 1 sur 2');

		const second = await get('/crm?q=Pagination&page=2', cookies.designer);
		expect(count(second.body, 'crm-client')).toBe(2);
		expect(second.body).toContain('Coopérative Pagination 13');
		expect(second.body).toContain('Coopérative Pagination 14');
		expect(second.body).not.toContain('Coopérative Pagination 01');

		// The slug and the contact are searched too; a search is a literal part of a word, case aside.
		const bySlug = await get('/crm?q=pagination-07', cookies.designer);
		expect(count(bySlug.body, 'crm-client')).toBe(1);
		expect(bySlug.body).toContain('data-slug="pagination-07"');
		expect(count((await get('/crm?q=contact%2009', cookies.designer)).body, 'crm-client')).toBe(1);

		const none = await get('/crm?q=introuvable-xyz', cookies.designer);
		expect(count(none.body, 'crm-client')).toBe(0);
		expect(decode(none.body)).toContain('Aucun client ne correspond à « introuvable-xyz »');

		// A page past the end goes to the last one; a nonsense page is page 1.
		const past = await get('/crm?q=Pagination&page=9', cookies.designer);
		expect(past.status).toBe(303);
		expect(past.headers.location).toBe('/crm?q=Pagination&page=2');
		expect(count((await get('/crm?q=Pagination&page=abc', cookies.designer)).body, 'crm-client')).toBe(12);
	});

	it('CRM-CLIENTS-2 a client form with errors comes back filled, with French messages by the fields, and creates nothing', async () => {
		const before = await rows('clients');
		const invalid = await post('/crm/clients/new', { name: '  ', slug: 'Ferme Verte!', contact_email: 'pas-un-email', contact_phone: 'appelez-moi', industry: 'Vanille' }, cookies.designer);
		expect(invalid.status).toBe(400);
		expect(fieldErrors(invalid.body)).toEqual({
			name: 'Ce champ est obligatoire.',
			slug: 'Utilisez de 1 à 40 lettres minuscules sans accent, chiffres ou tirets (pas de tiret au début ni à la fin).',
			contact_email: 'Saisissez une adresse e-mail valide (ex. nom@domaine.mg).',
			contact_phone: 'Saisissez un numéro de téléphone (chiffres, espaces, +), par ex. +261 34 12 345 67.'
		});
		expect(inputValue(invalid.body, 'slug')).toBe('Ferme Verte!');
		expect(inputValue(invalid.body, 'industry')).toBe('Vanille');
		expect(inputValue(invalid.body, 'contact_email')).toBe('pas-un-email');

		const reserved = await post('/crm/clients/new', { name: 'Le CRM', slug: 'crm' }, cookies.designer);
		expect(reserved.status).toBe(400);
		expect(fieldErrors(reserved.body).slug).toBe('Cet identifiant est réservé par l’application : choisissez-en un autre.');

		// Well formed but taken: only bknd knows (its unique index), and its refusal is the slug field's error.
		const taken = await post('/crm/clients/new', { name: 'Autre Ferme', slug: 'ferme-verte', country: 'Madagascar' }, cookies.designer);
		expect(taken.status).toBe(409);
		expect(fieldErrors(taken.body)).toEqual({ slug: 'Cet identifiant est déjà utilisé par un autre client : choisissez-en un autre.' });
		expect(inputValue(taken.body, 'name')).toBe('Autre Ferme');
		expect(inputValue(taken.body, 'country')).toBe('Madagascar');

		expect(await rows('clients')).toEqual(before);
	});

	it('CRM-CLIENTS-3 creates a client, shows its page, edits it; its slug is locked once it has a project', async () => {
		const created = await post(
			'/crm/clients/new',
			{ name: ' Coopérative Sava ', slug: 'Cooperative-Sava', industry: 'Vanille', country: '', contact_name: 'Tahina Randria', contact_email: 'tahina@sava.mg', contact_phone: '+261 33 45 678 90' },
			cookies.designer
		);
		expect(created.status).toBe(303);
		const id = Number(location(created).match(/^\/crm\/clients\/(\d+)\?created=1$/)?.[1]);
		expect(await row('clients', id)).toMatchObject({
			name: 'Coopérative Sava',
			slug: 'cooperative-sava',
			industry: 'Vanille',
			country: null,
			contact_name: 'Tahina Randria',
			contact_email: 'tahina@sava.mg',
			contact_phone: '+261 33 45 678 90'
		});
		const page = await get(location(created), cookies.designer);
		expect(page.status).toBe(200);
		expect(page.body).toContain('data-testid="client-created"');
		expect(page.body).toMatch(/href="\/cooperative-sava" data-testid="portal-link"/);
		expect(decode(page.body)).toContain('Aucun compte n’est encore rattaché à ce client.');

		// No project yet: the slug may change.
		const renamed = await post(`/crm/clients/${id}/edit`, { name: 'Coopérative Sava Vanille', slug: 'sava-vanille', contact_email: 'tahina@sava.mg' }, cookies.designer);
		expect(renamed.status).toBe(303);
		expect(renamed.headers.location).toBe(`/crm/clients/${id}?saved=1`);
		expect(await row('clients', id)).toMatchObject({ name: 'Coopérative Sava Vanille', slug: 'sava-vanille', industry: null, contact_name: null });

		const project = await post('/crm/projects/new', { clients_id: id, title: 'Traçabilité de la vanille', category: 'agritech', status: 'planning' }, cookies.designer);
		expect(project.status).toBe(303);
		const locked = await post(`/crm/clients/${id}/edit`, { name: 'Coopérative Sava Vanille', slug: 'sava-export' }, cookies.designer);
		expect(locked.status).toBe(400);
		expect(fieldErrors(locked.body)).toEqual({ slug: 'L’identifiant ne peut plus changer : ce client a déjà des projets (leurs salons et liens en dépendent).' });
		expect(inputValue(locked.body, 'slug')).toBe('sava-export');
		expect((await row('clients', id))!.slug).toBe('sava-vanille');
		// The edit page says so before anyone tries: the slug field is read-only.
		expect((await get(`/crm/clients/${id}/edit`, cookies.designer)).body).toMatch(/<input[^>]*name="slug"[^>]*readonly/);
		// Other fields still save.
		expect((await post(`/crm/clients/${id}/edit`, { name: 'Sava Vanille', slug: 'sava-vanille' }, cookies.designer)).status).toBe(303);
		expect((await row('clients', id))!.name).toBe('Sava Vanille');
	});

	it('CRM-CLIENTS-4 a client page lists its contact, projects, partner shares, users and portal link', async () => {
		const page = decode((await get(`/crm/clients/${ids.ferme}`, cookies.designer)).body);
		expect(page).toContain('contact@ferme-verte.mg');
		for (const project of ids.fermeProjects) expect(page).toContain(`data-project-id="${project.id}"`);
		expect(page).toContain('Studio Partenaire'); // the seeded share of the harvest app
		expect(page).toContain('Fara Rasoa');
		expect(page).toContain('client@ferme-verte.mg');
		expect(page).not.toContain('client@atelier-sud.mg'); // another tenant's user
		expect(page).toMatch(/href="\/ferme-verte" data-testid="portal-link"/);
		expect((await get('/crm/clients/999999', cookies.designer)).status).toBe(404);
	});

	it('HARDEN-SEARCH-3 the search finds every client by its name or a part of one, and hostile text answers 200 and matches only literally', async () => {
		// Clients whose names hold what a search box may be given literally: a wildcard, quotes, a backslash, digits.
		const odd = [
			{ name: 'Cafe Mahery 2025', slug: 'cafe-mahery' },
			{ name: 'Taux 100% bio', slug: 'taux-cent' },
			{ name: 'Vony_Tana', slug: 'vony-tana' },
			{ name: `Chez "Koto" l'epicerie \\ Tana`, slug: 'chez-koto' }
		];
		for (const client of odd) {
			const response = await fetch(`${stack.bknd.url}/api/data/entity/clients`, {
				method: 'POST',
				headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
				body: JSON.stringify(client)
			});
			expect(response.status).toBe(201);
		}
		const all = await rows('clients');
		/** What the list must show for `q`: every client holding it in a searched field, case aside (test data is ASCII there). */
		const expected = (q: string) =>
			all
				.filter((c) => ['name', 'slug', 'contact_name', 'industry'].some((f) => typeof c[f] === 'string' && (c[f] as string).toLowerCase().includes(q.toLowerCase())))
				.map((c) => String(c.slug))
				.sort();
		const listed = async (q: string) => {
			const page = await get(`/crm?q=${encodeURIComponent(q)}`, cookies.designer);
			expect({ q, status: page.status }).toEqual({ q, status: 200 });
			const total = Number(page.body.match(/data-count="(\d+)"/)?.[1]);
			return { total, slugs: [...page.body.matchAll(/data-testid="crm-client" data-slug="([^"]+)"/g)].map((m) => m[1]!).sort() };
		};
		const names = all.filter((c) => ['ferme-verte', 'atelier-sud', ...odd.map((o) => o.slug)].includes(String(c.slug))).map((c) => String(c.name));
		for (const q of [...names, 'ferme', 'Fara', 'cafe', 'CAFE', '2025', 'Nirina', 'verte']) {
			const found = await listed(q);
			expect(expected(q).length, q).toBeGreaterThan(0);
			expect(expected(q).length, q).toBeLessThanOrEqual(12);
			expect({ q, ...found }).toEqual({ q, total: expected(q).length, slugs: expected(q) });
		}
		expect((await listed('ferme')).slugs).toContain('ferme-verte');
		expect((await listed('2025')).slugs).toEqual(['cafe-mahery']);
		// Hostile text: no error, and only literal matches (`%` is not "every client", `_` not "any character").
		expect(await listed('%')).toEqual({ total: 1, slugs: ['taux-cent'] });
		expect(await listed('_')).toEqual({ total: 1, slugs: ['vony-tana'] });
		expect(await listed('"')).toEqual({ total: 1, slugs: ['chez-koto'] });
		expect(await listed('\\')).toEqual({ total: 1, slugs: ['chez-koto'] });
		expect(await listed("'")).toEqual({ total: 1, slugs: ['chez-koto'] });
		for (const q of ['%fe', '%25', '%ca', 'e_v', '*', '100%%']) expect(await listed(q)).toEqual({ total: 0, slugs: [] });
	});
});

describe('CRM projects', () => {
	it('CRM-PROJECTS-1 a project form with errors comes back filled with French messages and creates nothing', async () => {
		const before = await rows('projects');
		const invalid = await post(
			'/crm/projects/new',
			{ clients_id: '', title: '', category: 'agritech', status: 'planning', progress: '150', budget_mga: '1500,5', start_date: '2026-06-01', due_date: '2026-05-01', internal_notes: 'Note gardée' },
			cookies.designer
		);
		expect(invalid.status).toBe(400);
		expect(fieldErrors(invalid.body)).toMatchObject({
			clients_id: 'Choisissez le client de ce projet.',
			title: 'Ce champ est obligatoire.',
			progress: 'La valeur maximale est 100.',
			budget_mga: 'Le budget se compte en ariary entiers : retirez les décimales.'
		});
		expect(inputValue(invalid.body, 'budget_mga')).toBe('1500,5');
		expect(decode(invalid.body)).toContain('Note gardée</textarea>');
		expect(await rows('projects')).toEqual(before);
	});

	it('CRM-PROJECTS-2 creates and edits a project (internal fields included), as bknd then holds it', async () => {
		const created = await post(
			'/crm/projects/new',
			{
				clients_id: ids.ferme,
				title: 'Carte des parcelles',
				description: 'Relevé GPS des parcelles.',
				category: 'agritech',
				status: 'planning',
				progress: '',
				start_date: '2026-02-02',
				due_date: '2026-06-30',
				budget_mga: '45 000 000',
				figma_file_key: 'https://www.figma.com/design/Zx8Kp2Lm4Nq6Rs1Tv3Wy5a/Carte?node-id=1-2',
				internal_notes: 'Devis à confirmer',
				margin_pct: '12,5'
			},
			cookies.designer
		);
		expect(created.status).toBe(303);
		const id = Number(location(created).match(/^\/crm\/projects\/(\d+)\?created=1$/)?.[1]);
		expect(await row('projects', id)).toMatchObject({
			clients_id: ids.ferme,
			title: 'Carte des parcelles',
			status: 'planning',
			progress: 0,
			budget_mga: 45_000_000,
			figma_file_key: 'Zx8Kp2Lm4Nq6Rs1Tv3Wy5a',
			internal_notes: 'Devis à confirmer',
			margin_pct: 12.5,
			start_date: expect.stringMatching(/^2026-02-02/),
			due_date: expect.stringMatching(/^2026-06-30/)
		});
		const form = await get(`/crm/projects/${id}/edit`, cookies.designer);
		expect(inputValue(form.body, 'start_date')).toBe('2026-02-02');
		expect(inputValue(form.body, 'budget_mga')).toBe('45 000 000');

		const edited = await post(
			`/crm/projects/${id}/edit`,
			{ title: 'Carte des parcelles (v2)', category: 'agritech', status: 'in_progress', progress: '40', start_date: '2026-02-02', due_date: '2026-07-15', budget_mga: '', figma_file_key: '', internal_notes: '', margin_pct: '' },
			cookies.designer
		);
		expect(edited.status).toBe(303);
		expect(edited.headers.location).toBe(`/crm/projects/${id}?saved=1`);
		expect(await row('projects', id)).toMatchObject({ title: 'Carte des parcelles (v2)', status: 'in_progress', progress: 40, budget_mga: null, internal_notes: null, margin_pct: null, clients_id: ids.ferme });

		expect((await post('/crm/projects/999999/edit', { title: 'Fantôme', category: 'design', status: 'intake' }, cookies.designer)).status).toBe(404);
	});

	it('CRM-PROJECTS-3 the list filters by client, status, category and lateness on the server', async () => {
		const all = await rows('projects');
		const today = todayInMadagascar();
		const late = all.filter((p) => isLate({ dueDate: (p.due_date as string | null) ?? null, status: (p.status as string | null) ?? null }, today));
		expect(late.length).toBeGreaterThan(0); // the seed has projects past their due date
		const shown = (html: string) => [...html.matchAll(/data-testid="crm-project" data-project-id="(\d+)"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);

		const latePage = (await get('/crm/projects?late=1', cookies.designer)).body;
		expect(shown(latePage)).toEqual(late.map((p) => p.id).sort((a, b) => a - b));
		// A completed project is never late, even long past its due date.
		const completed = all.find((p) => p.status === 'completed')!;
		expect(shown(latePage)).not.toContain(completed.id);

		const fermeInProgress = all.filter((p) => p.clients_id === ids.ferme && p.status === 'in_progress').map((p) => p.id);
		expect(shown((await get(`/crm/projects?tenant=${ids.ferme}&status=in_progress`, cookies.designer)).body)).toEqual(fermeInProgress.sort((a, b) => a - b));
		const design = all.filter((p) => p.category === 'design').map((p) => p.id);
		expect(shown((await get('/crm/projects?category=design', cookies.designer)).body)).toEqual(design.sort((a, b) => a - b));
		// Nonsense filters are dropped, not errors.
		expect(shown((await get('/crm/projects?tenant=abc&status=nope', cookies.designer)).body).length).toBe(Math.min(all.length, 20));
	});

	it('CRM-PROJECTS-4 a board move changes the status in bknd and the client’s live dashboard room hears it', async () => {
		const project = ids.fermeProjects.find((p) => p.status === 'planning')!;
		const watcher = await Watcher.open('ferme-verte');
		try {
			const moved = await post('/crm/projects/board', { project_id: project.id, status: 'in_progress' }, cookies.designer);
			expect(moved.status).toBe(200);
			expect((await row('projects', project.id))!.status).toBe('in_progress');
			const event = await waitFor(
				() => watcher.events().find((e) => e.entity === 'projects' && e.row.id === project.id && e.row.status === 'in_progress'),
				{ timeout: 20_000, message: 'the move in the ferme-verte live room' }
			);
			expect(event.op).toBe('update');
			// The client's room never carries the staff-only fields.
			expect(event.row).not.toHaveProperty('internal_notes');
			// Without JavaScript the board comes back with the card in its new column.
			expect(moved.body).toMatch(new RegExp(`data-testid="board-card" data-project-id="${project.id}" data-status="in_progress"`));
		} finally {
			watcher.close();
		}

		const before = await crmState();
		const unknownStatus = await post('/crm/projects/board', { project_id: project.id, status: 'archived' }, cookies.designer);
		expect(unknownStatus.status).toBe(400);
		const gone = await post('/crm/projects/board', { project_id: 999999, status: 'review' }, cookies.designer);
		expect(gone.status).toBe(404);
		expect(decode(gone.body)).toContain('Ce projet n’existe plus');
		expect(await crmState()).toBe(before);
	});
});

describe('CRM metrics and partner sharing', () => {
	it('CRM-METRICS-1 staff add, correct and delete a project’s measures; errors keep the values; another project’s rows are out of reach', async () => {
		// The identity redesign has no measures; the harvest app (the first project) has the seed's.
		const [other, project] = ids.fermeProjects;
		const path = `/crm/projects/${project!.id}`;
		const before = await rows('project_metrics');
		const invalid = await post(`${path}?/addMetric`, { key: 'récolte (t)', value: 'beaucoup', target: '120', unit: 'producteurs', date: '' }, cookies.designer);
		expect(invalid.status).toBe(400);
		expect(fieldErrors(invalid.body)).toEqual({
			key: 'Un identifiant commence par une lettre et ne contient que des lettres sans accent, chiffres et « _ ».',
			value: 'Saisissez un nombre.',
			date: 'Ce champ est obligatoire.'
		});
		expect(inputValue(invalid.body, 'value')).toBe('beaucoup');
		expect(await rows('project_metrics')).toEqual(before);

		const added = await post(`${path}?/addMetric`, { key: 'Hectares couverts', value: '230,5', target: '300', unit: 'ha', date: '2026-02-02' }, cookies.designer);
		expect(added.status).toBe(200);
		const [measure] = await rows('project_metrics', { projects_id: project!.id, key: 'hectares_couverts' });
		expect(measure).toMatchObject({ value: 230.5, target: 300, unit: 'ha', date: expect.stringMatching(/^2026-02-02/) });
		expect(added.body).toContain(`data-testid="metric-row" data-metric-id="${measure!.id}"`);

		const corrected = await post(`${path}?/editMetric`, { metric_id: measure!.id, key: 'hectares_couverts', value: '231', target: '300', unit: 'ha', date: '2026-02-03' }, cookies.designer);
		expect(corrected.status).toBe(303);
		expect(await row('project_metrics', measure!.id)).toMatchObject({ value: 231, date: expect.stringMatching(/^2026-02-03/) });

		// A measure of another project cannot be changed or deleted from this project's page.
		const [foreign] = await rows('project_metrics', { projects_id: other!.id });
		const snapshot = await crmState();
		expect((await post(`${path}?/editMetric`, { metric_id: foreign!.id, key: 'x', value: 1, date: '2026-01-01' }, cookies.designer)).status).toBe(404);
		expect((await post(`${path}?/deleteMetric`, { metric_id: foreign!.id }, cookies.designer)).status).toBe(404);
		expect(await crmState()).toBe(snapshot);

		expect((await post(`${path}?/deleteMetric`, { metric_id: measure!.id }, cookies.designer)).status).toBe(200);
		expect(await row('project_metrics', measure!.id)).toBeUndefined();
	});

	it('CRM-SHARES-1 staff grant a partner access, list it, and revoke it (kept, never deleted); the partner’s next room token is refused', async () => {
		const project = ids.fermeProjects.find((p) => p.title === 'Tableau de bord des prix du marché')!;
		const path = `/crm/projects/${project.id}`;
		const token = () => get(`/api/rooms/token?room=ferme-verte.${project.id}`, cookies.partner);
		expect((await token()).status).toBe(403); // not shared yet

		const invalid = await post(`${path}?/grantShare`, { partners_id: '', access: 'owner' }, cookies.designer);
		expect(fieldErrors(invalid.body)).toEqual({ partners_id: 'Choisissez une agence partenaire.', access: 'Choisissez une des options proposées.' });

		const granted = await post(`${path}?/grantShare`, { partners_id: ids.partner, access: 'viewer' }, cookies.designer);
		expect(granted.status).toBe(200);
		const [share] = await rows('project_shares', { projects_id: project.id });
		expect(share).toMatchObject({ partners_id: ids.partner, access: 'viewer', granted_by: ids.designer, revoked_at: null });
		expect(Date.now() - Date.parse(share!.granted_at as string)).toBeLessThan(60_000);
		expect(granted.body).toMatch(new RegExp(`data-testid="share" data-share-id="${share!.id}" data-state="active"`));
		expect(decode(granted.body)).toContain('Accordé par Hery Rakoto');
		expect((await token()).status).toBe(200);

		const again = await post(`${path}?/grantShare`, { partners_id: ids.partner, access: 'editor' }, cookies.designer);
		expect(again.status).toBe(409);
		expect(fieldErrors(again.body).partners_id).toContain('déjà partagé avec cette agence');
		expect(await rows('project_shares', { projects_id: project.id })).toHaveLength(1);

		const revoked = await post(`${path}?/revokeShare`, { share_id: share!.id }, cookies.designer);
		expect(revoked.status).toBe(200);
		const after = await rows('project_shares', { projects_id: project.id });
		expect(after).toHaveLength(1); // revoked, not deleted
		expect(after[0]).toMatchObject({ id: share!.id, access: 'viewer', granted_by: ids.designer, granted_at: share!.granted_at });
		expect(after[0]!.revoked_at).toEqual(expect.any(String));
		expect(revoked.body).toMatch(new RegExp(`data-share-id="${share!.id}" data-state="revoked"`));
		expect((await token()).status).toBe(403);

		// A share of another project cannot be revoked from this page.
		const [seeded] = await rows('project_shares', { revoked_at: { $isnull: true } });
		expect((await post(`${path}?/revokeShare`, { share_id: seeded!.id }, cookies.designer)).status).toBe(404);
		expect((await row('project_shares', seeded!.id))!.revoked_at).toBeNull();
	});
});

describe('CRM with bknd out of reach', () => {
	it('CRM-DOWN-1 a save that cannot reach bknd says so and gives back every value typed, without JavaScript', async () => {
		const project = ids.fermeProjects[0]!;
		const before = await row('projects', project.id);
		const fields = { title: 'Titre jamais enregistré', category: 'design', status: 'review', progress: '55', internal_notes: 'À garder', budget_mga: '1 000 000' };
		try {
			// bknd answers the session check, then the write is lost on the way.
			bknd.mode = 'writesDown';
			const lostWrite = await post(`/crm/projects/${project.id}/edit`, fields, cookies.designer);
			expect(lostWrite.status).toBe(503);
			expect(lostWrite.body).toContain('data-testid="form-unavailable"');
			expect(decode(lostWrite.body)).toContain('Le service de données est injoignable pour le moment : rien n’a été enregistré. Vos saisies sont conservées');
			expect(inputValue(lostWrite.body, 'title')).toBe('Titre jamais enregistré');
			expect(inputValue(lostWrite.body, 'budget_mga')).toBe('1 000 000');
			expect(decode(lostWrite.body)).toContain('À garder</textarea>');

			// bknd does not answer at all: not even who is asking can be checked. Only their own values come back.
			bknd.mode = 'down';
			const down = await post('/crm/clients/new', { name: 'Coopérative Hors Ligne', slug: 'hors-ligne', contact_email: 'a@b.mg' }, cookies.designer);
			expect(down.status).toBe(503);
			expect(down.body).toContain('data-testid="form-unavailable"');
			expect(inputValue(down.body, 'name')).toBe('Coopérative Hors Ligne');
			expect(inputValue(down.body, 'slug')).toBe('hors-ligne');
			expect(inputValue(down.body, 'contact_email')).toBe('a@b.mg');
			expect((await get('/crm', cookies.designer)).status).toBe(503);
		} finally {
			bknd.mode = 'up';
		}
		expect(await row('projects', project.id)).toEqual(before);
		expect(await rows('clients', { slug: 'hors-ligne' })).toEqual([]);
	});
});
