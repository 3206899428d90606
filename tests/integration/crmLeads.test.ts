import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkndLogin, bkndRows } from '../harness/bkndApi';
import { DEMO_USERS, startStack, type Stack } from '../harness/stack';
import { sessionCookie, signIn, webRequest, type WebResponse } from '../harness/webClient';

// The leads pipeline, lead pages, conversion, users and one-time links (/crm/leads, /crm/users, /welcome) over the
// real stack: the built web app under wrangler dev, seeded bknd, live rooms. Forms are posted as a browser without
// JavaScript posts them, and what they did is read back from bknd itself. What must never happen: a non-staff
// user reading or changing anything here, a refused form changing anything or losing what was typed, a failed
// conversion leaving a client, a project or an account behind.

interface Row {
	id: number;
	[key: string]: unknown;
}

let stack: Stack;
let admin = '';
const cookies = { designer: '', admin: '', client: '', partner: '' };

beforeAll(async () => {
	stack = await startStack();
	admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
	cookies.designer = await signIn(stack.web.url, DEMO_USERS.designer);
	cookies.admin = await signIn(stack.web.url, DEMO_USERS.admin);
	cookies.client = await signIn(stack.web.url, DEMO_USERS.clientFerme);
	cookies.partner = await signIn(stack.web.url, DEMO_USERS.partner);
}, 240_000);

afterAll(async () => {
	await stack?.stop();
});

function rows(entity: string, where?: Record<string, unknown>): Promise<Row[]> {
	return bkndRows<Row>(stack.bknd.url, admin, entity, `${where ? `&where=${encodeURIComponent(JSON.stringify(where))}` : ''}&sort=id`);
}

async function lead(id: number): Promise<Row> {
	return (await rows('leads', { id }))[0]!;
}

/** A lead as the intake makes them, straight into bknd (admin). */
async function newLead(fields: Record<string, unknown>): Promise<number> {
	const res = await fetch(`${stack.bknd.url}/api/data/entity/leads`, {
		method: 'POST',
		headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			company: 'Épicerie Fine Antsirabe',
			contact_name: 'Voahangy Rasoa',
			status: 'won',
			industry: 'retail',
			analysis: { summary: 'Boutique en ligne pour les produits du terroir.', category: 'design', budget_range_mga: { min: 2_000_000, max: 3_000_000 } },
			analysis_source: 'offline',
			analysis_status: 'done',
			...fields
		})
	});
	expect(res.status).toBe(201);
	return ((await res.json()) as { data: { id: number } }).data.id;
}

const get = (path: string, cookie?: string) => webRequest(stack.web.url, path, { cookie, headers: { accept: 'text/html' } });

/** Posts a form as a browser without JavaScript does (urlencoded, same origin: SvelteKit checks it). */
function post(path: string, fields: Record<string, string | number>, cookie?: string): Promise<WebResponse> {
	const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
	return webRequest(stack.web.url, path, { method: 'POST', cookie, body, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });
}

const decode = (html: string) =>
	html.replace(/<!--[^]*?-->/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The French text next to each field of the page, by field name. */
function fieldErrors(html: string): Record<string, string> {
	return Object.fromEntries([...decode(html).matchAll(/data-testid="field-error" data-field="([\w.]+)">([^<]*)</g)].map((m) => [m[1]!, m[2]!.trim()]));
}

/** The text of the draft box as the page renders it. */
function draftText(html: string): string | undefined {
	return decode(html).match(/<textarea[^>]*name="draft"[^>]*>([^]*?)<\/textarea>/)?.[1];
}

/** The one-time link a page shows. */
function shownLink(html: string): string | undefined {
	return decode(html).match(/data-testid="one-time-link-url"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*data-testid="one-time-link-url"/)?.slice(1).find(Boolean);
}

describe('CRM-LEADS: who may', () => {
	it('CRM-LEADS-1 clients and partners get 403 on every lead and user page and endpoint, and their posts change nothing', async () => {
		const [seeded] = await rows('leads', { title: 'Site vitrine pour un hôtel à Nosy Be' });
		for (const cookie of [cookies.client, cookies.partner]) {
			for (const path of ['/crm/leads', `/crm/leads/${seeded!.id}`, '/crm/users']) expect((await get(path, cookie)).status, path).toBe(403);
			expect((await webRequest(stack.web.url, `/crm/leads/${seeded!.id}/data`, { cookie })).status).toBe(403);
			expect((await post('/crm/leads?/move', { id: seeded!.id, status: 'lost' }, cookie)).status).toBe(403);
			expect((await post(`/crm/leads/${seeded!.id}?/draft`, { draft: 'Intrus' }, cookie)).status).toBe(403);
			expect((await post('/crm/users?/create', { email: 'intrus@exemple.mg', name: 'Intrus', role: 'admin', clientId: '', partnerId: '' }, cookie)).status).toBe(403);
		}
		// Anonymous visitors are sent to sign in.
		const anonymous = await get('/crm/leads');
		expect(anonymous.status).toBe(303);
		expect(String(anonymous.headers.location)).toContain('/login');
		expect(await lead(seeded!.id)).toMatchObject({ status: 'new', proposal_draft: null });
		expect(await rows('users', { email: 'intrus@exemple.mg' })).toEqual([]);
	});
});

describe('CRM-LEADS: pipeline and lead page', () => {
	it('CRM-LEADS-2 the board shows each lead in its column; a move posted from it is saved in bknd', async () => {
		const [seeded] = await rows('leads', { title: 'Site vitrine pour un hôtel à Nosy Be' });
		const board = await get('/crm/leads', cookies.designer);
		expect(board.status).toBe(200);
		const html = decode(board.body);
		expect(html).toMatch(new RegExp(`data-testid="lead-card" data-lead-id="${seeded!.id}" data-status="new"`));
		expect(html).toContain('Hôtel Ravinala');
		// The seeded estimate, in ariary the Malagasy way.
		expect(html).toMatch(/8[\s\u202f\u00a0]000[\s\u202f\u00a0]000[\s\u202f\u00a0]Ar/);

		const moved = await post('/crm/leads?/move', { id: seeded!.id, status: 'proposal' }, cookies.designer);
		expect(moved.status).toBe(200);
		expect((await lead(seeded!.id)).status).toBe('proposal');
		expect(decode(moved.body)).toMatch(new RegExp(`data-lead-id="${seeded!.id}" data-status="proposal"`));
		// A column that does not exist is refused, and nothing changes.
		expect((await post('/crm/leads?/move', { id: seeded!.id, status: 'archived' }, cookies.designer)).status).toBe(400);
		expect((await lead(seeded!.id)).status).toBe('proposal');
	});

	it('CRM-LEADS-3 a draft refused for its length comes back whole with a French message, and nothing is saved; a valid one is saved', async () => {
		const id = await newLead({ title: 'Brouillon trop long', proposal_draft: 'Version enregistrée.' });
		const long = `DEBUT-UNIQUE ${'Nous proposons une démarche en quatre phases. '.repeat(460)} FIN-UNIQUE`;
		expect(long.length).toBeGreaterThan(20_000);
		const refused = await post(`/crm/leads/${id}?/draft`, { draft: long }, cookies.designer);
		expect(refused.status).toBe(400);
		expect(fieldErrors(refused.body).draft).toContain('20 000 caractères');
		expect(draftText(refused.body)).toBe(long);
		expect((await lead(id)).proposal_draft).toBe('Version enregistrée.');

		const saved = await post(`/crm/leads/${id}?/draft`, { draft: 'Madame Rasoa,\r\nvoici notre proposition.' }, cookies.designer);
		expect(saved.status).toBe(200);
		expect((await lead(id)).proposal_draft).toBe('Madame Rasoa,\nvoici notre proposition.');
	});

	it('CRM-LEADS-4 the lead page shows the contact, the whole brief with the form’s labels, and the analysis', async () => {
		const id = await newLead({
			title: 'Application de suivi des ventes',
			email: 'voahangy@epicerie-antsirabe.mg',
			brief: { contactName: 'Voahangy Rasoa', industry: 'retail', projectTypes: ['website', 'dashboard'], problem: 'Les ventes sont notées sur un cahier.', budget: 'large', consent: true },
			analysis: { summary: 'Boutique et tableau de bord.', category: 'design', complexity: 'medium', recommended_services: ['Design UX/UI'], phases: [{ name: 'Découverte', weeks: 2, description: 'Entretiens.' }], budget_range_mga: { min: 2_000_000, max: 3_000_000 }, risks: [], questions: ['Qui valide ?'] }
		});
		const page = decode((await get(`/crm/leads/${id}`, cookies.designer)).body);
		for (const text of ['voahangy@epicerie-antsirabe.mg', 'Le problème à résoudre', 'Les ventes sont notées sur un cahier.', 'Site web', 'Tableaux de bord', '1 000 000 à 5 000 000 Ar', 'Boutique et tableau de bord.', 'Découverte', 'Qui valide ?', 'Analyse hors ligne', 'Moyenne']) {
			expect(page, text).toContain(text);
		}
		// A lead without a brief or analysis is shown too.
		const bare = await newLead({ title: 'Demande au téléphone', brief: null, analysis: null, analysis_source: null, analysis_status: null });
		const barePage = decode((await get(`/crm/leads/${bare}`, cookies.designer)).body);
		expect(barePage).toContain('data-testid="brief-empty"');
		expect(barePage).toContain('Aucune analyse pour ce prospect.');
		expect((await get('/crm/leads/999999', cookies.designer)).status).toBe(404);
	});
});

describe('CRM-LEADS: conversion and accounts', () => {
	it('CRM-LEADS-5 converting a won lead through the page makes the client, project and account, and shows the link once; the link opens the new space', async () => {
		const id = await newLead({ title: 'Boutique du terroir', email: 'voahangy@epicerie-fine.mg' });
		const page = await post(`/crm/leads/${id}?/convert`, { slug: 'epicerie-fine', clientName: 'Épicerie Fine Antsirabe', contactName: 'Voahangy Rasoa', contactEmail: 'voahangy@epicerie-fine.mg' }, cookies.designer);
		expect(page.status).toBe(200);
		const html = decode(page.body);
		expect(html).toContain('Client « Épicerie Fine Antsirabe » créé');
		const link = shownLink(html)!;
		expect(link).toMatch(new RegExp(`^${stack.web.url}/welcome/[A-Za-z0-9_-]{43}$`));
		const [client] = await rows('clients', { slug: 'epicerie-fine' });
		expect((await lead(id)).clients_id).toBe(client!.id);
		expect(await rows('projects', { clients_id: client!.id })).toMatchObject([{ title: 'Boutique du terroir', status: 'planning', category: 'design', budget_mga: 2_500_000 }]);
		// Shown once: the lead's page afterwards says what it became, and holds no link.
		const after = decode((await get(`/crm/leads/${id}`, cookies.designer)).body);
		expect(after).toContain('Ce prospect est devenu le client Épicerie Fine Antsirabe.');
		expect(shownLink(after)).toBeUndefined();

		// The invited person: the link asks for a password (refusing a short one), then signs them in to their space.
		const path = new URL(link).pathname;
		const welcome = decode((await get(path)).body);
		expect(welcome).toContain('voahangy@epicerie-fine.mg');
		const tooShort = await post(path, { password: 'court', confirm: 'court' });
		expect(tooShort.status).toBe(400);
		expect(fieldErrors(tooShort.body).password).toContain('10 caractères');
		const set = await post(path, { password: 'terroir-antsirabe-2026', confirm: 'terroir-antsirabe-2026' });
		expect(set.status).toBe(303);
		expect(set.headers.location).toBe('/epicerie-fine');
		const portal = await get('/epicerie-fine', sessionCookie(set));
		expect(portal.status).toBe(200);
		expect(decode(portal.body)).toContain('Boutique du terroir');
		// Used once: the same link now says so, and changes nothing.
		expect(decode((await get(path)).body)).toContain('data-code="used"');
		expect((await post(path, { password: 'un-autre-mot-de-passe', confirm: 'un-autre-mot-de-passe' })).status).toBe(410);
	});

	it('CRM-LEADS-6 when the contact’s address already has an account, the page says so in French and nothing is left behind', async () => {
		const id = await newLead({ title: 'Deuxième boutique', email: DEMO_USERS.clientSud });
		const before = { clients: (await rows('clients')).length, projects: (await rows('projects')).length, users: (await rows('users')).length };
		const leadBefore = await lead(id);
		const page = await post(`/crm/leads/${id}?/convert`, { slug: 'deuxieme-boutique', clientName: 'Deuxième boutique', contactName: 'Nirina Rabe', contactEmail: DEMO_USERS.clientSud }, cookies.designer);
		expect(page.status).toBe(409);
		expect(fieldErrors(page.body).contactEmail).toBe('Un compte utilise déjà cette adresse : choisissez-en une autre pour le contact. Rien n’a été créé.');
		// What was typed is still in the form.
		expect(decode(page.body)).toContain('value="deuxieme-boutique"');
		expect(shownLink(decode(page.body))).toBeUndefined();
		expect({ clients: (await rows('clients')).length, projects: (await rows('projects')).length, users: (await rows('users')).length }).toEqual(before);
		expect(await rows('clients', { slug: 'deuxieme-boutique' })).toEqual([]);
		expect(await lead(id)).toEqual(leadBefore);
	});

	it('CRM-LEADS-7 staff create a client account with a one-time link; a designer cannot create an admin', async () => {
		const [ferme] = await rows('clients', { slug: 'ferme-verte' });
		const created = await post('/crm/users?/create', { email: 'Tiana@Ferme-Verte.mg', name: 'Tiana Ravelo', role: 'client', clientId: ferme!.id, partnerId: '' }, cookies.designer);
		expect(created.status).toBe(200);
		expect(shownLink(decode(created.body))).toMatch(/\/welcome\/[A-Za-z0-9_-]{43}$/);
		expect(await rows('users', { email: 'tiana@ferme-verte.mg' })).toMatchObject([{ role: 'client', client_id: ferme!.id }]);

		const refused = await post('/crm/users?/create', { email: 'chef@fata.plus', name: 'Chef', role: 'admin', clientId: '', partnerId: '' }, cookies.designer);
		expect(refused.status).toBe(403);
		expect(fieldErrors(refused.body).role).toContain('seul un administrateur');
		expect(await rows('users', { email: 'chef@fata.plus' })).toEqual([]);
		// A client account needs its tenant: the French message sits next to the field.
		const missing = await post('/crm/users?/create', { email: 'sans@espace.mg', name: 'Sans espace', role: 'client', clientId: '', partnerId: '' }, cookies.designer);
		expect(missing.status).toBe(400);
		expect(fieldErrors(missing.body).clientId).toBe('Choisissez l’espace client de ce compte.');
		// The list filters by tenant, and a designer gets no link button for staff accounts.
		const listed = async (query: string) => {
			const html = decode((await get(`/crm/users${query}`, cookies.designer)).body);
			return { html, emails: [...html.matchAll(/<span class="email[^"]*">([^<]+)</g)].map((m) => m[1]) };
		};
		expect((await listed(`?client=${ferme!.id}`)).emails).toEqual(['client@ferme-verte.mg', 'tiana@ferme-verte.mg']);
		const staff = await listed('?role=admin');
		expect(staff.emails).toEqual(['admin@fata.plus']);
		expect(staff.html).not.toContain('data-testid="make-link"');
	});
});

describe('CRM-LEADS: bknd unreachable', () => {
	// Last: it stops bknd for the rest of the file.
	it('CRM-LEADS-8 with bknd down, a draft being saved comes back whole with a clear message; the pipeline says the service is unavailable', async () => {
		const id = await newLead({ title: 'Panne pendant la saisie' });
		await stack.bknd.stop();
		const text = 'Texte tapé pendant la panne : il ne doit pas être perdu.';
		const page = await post(`/crm/leads/${id}?/draft`, { draft: text }, cookies.designer);
		expect(page.status).toBe(503);
		const html = decode(page.body);
		expect(html).toContain('Le service de données est injoignable pour le moment : rien n’a été enregistré.');
		expect(draftText(html)).toBe(text);
		const board = await get('/crm/leads', cookies.designer);
		expect(board.status).toBe(503);
		expect(decode(board.body)).toContain('momentanément indisponible');
	});
});
