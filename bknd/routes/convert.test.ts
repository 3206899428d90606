import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_HEADER } from '../../shared/publicApi';
import { startTestBknd, jwtClaims, type TestBknd } from '../testApi';
import { CONVERSION_JOURNAL } from './convert';

// `POST /api/fataplus/leads/:id/convert` (routes/convert.ts) over real HTTP against a real bknd: the whole chain,
// all or nothing when a step fails in the middle, no duplicate on a second request, recovery from a crash.

const SERVICE_SECRET = 'convert-test-service-secret-0123456789abcdef';

let t: TestBknd;
const tokens: Record<string, string> = {};
const convert = (id: number, body: unknown, token = tokens['designer@fata.plus']) => t.call('POST', `/api/fataplus/leads/${id}/convert`, { token, body });
const db = () => t.bknd.app.em.connection.kysely;
const count = async (table: string) => Number(((await db().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()) as { n: number }).n);
const counts = async () => ({ clients: await count('clients'), projects: await count('projects'), users: await count('users'), links: await count('password_links') });
const leadRow = async (id: number) => db().selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const journalRows = async () => db().selectFrom(CONVERSION_JOURNAL as string).selectAll().execute();

/** A lead as the intake makes them, already won unless said otherwise. */
async function newLead(fields: Record<string, unknown> = {}): Promise<number> {
	const res = await t.call('POST', '/api/data/entity/leads', {
		token: tokens['admin@fata.plus'],
		body: {
			title: 'Application de collecte du lait',
			company: 'Laiterie d’Antsirabe',
			contact_name: 'Haja Rakotomalala',
			email: 'haja@laiterie-antsirabe.mg',
			phone: '+261 34 11 222 33',
			status: 'won',
			industry: 'Agroalimentaire',
			analysis: { summary: 'Suivi des collectes de lait par village.', category: 'agritech', budget_range_mga: { min: 30_000_000, max: 50_000_000 } },
			...fields
		}
	});
	expect(res.status).toBe(201);
	return res.body.data.id;
}

const FORM = { slug: 'laiterie-antsirabe', clientName: 'Laiterie d’Antsirabe', contactName: 'Haja Rakotomalala', contactEmail: 'haja@laiterie-antsirabe.mg' };

beforeAll(async () => {
	t = await startTestBknd({ serviceSecret: SERVICE_SECRET });
	for (const email of ['admin@fata.plus', 'designer@fata.plus', 'partner@studio-partenaire.mg', 'client@ferme-verte.mg']) tokens[email] = await t.login(email);
}, 60_000);

afterAll(async () => {
	await t?.stop();
});

describe('CONVERT: a won lead becomes a client', () => {
	it('CONVERT-1 one request makes the client, its first project and the invited user, links the lead, and the link opens the new tenant', async () => {
		const leadId = await newLead();
		const res = await convert(leadId, FORM);
		expect(res.status).toBe(201);
		const { client, project, user, link } = res.body;
		expect(client).toEqual({ id: expect.any(Number), slug: 'laiterie-antsirabe', name: 'Laiterie d’Antsirabe' });

		const clientRow = await db().selectFrom('clients').selectAll().where('id', '=', client.id).executeTakeFirstOrThrow();
		expect(clientRow).toMatchObject({ slug: 'laiterie-antsirabe', industry: 'Agroalimentaire', contact_name: 'Haja Rakotomalala', contact_email: 'haja@laiterie-antsirabe.mg', contact_phone: '+261 34 11 222 33' });
		const projectRow = await db().selectFrom('projects').selectAll().where('id', '=', project.id).executeTakeFirstOrThrow();
		// Title from the lead, category and budget (middle of the range) from the analysis, status planning.
		expect(projectRow).toMatchObject({ clients_id: client.id, title: 'Application de collecte du lait', category: 'agritech', status: 'planning', budget_mga: 40_000_000, description: 'Suivi des collectes de lait par village.' });
		const userRow = await db().selectFrom('users' as string).select(['email', 'name', 'role', 'client_id']).where('id', '=', user.id).executeTakeFirstOrThrow();
		expect(userRow).toEqual({ email: 'haja@laiterie-antsirabe.mg', name: 'Haja Rakotomalala', role: 'client', client_id: client.id });

		const lead = await leadRow(leadId);
		expect(lead).toMatchObject({ clients_id: client.id, status: 'won' });
		expect(await journalRows()).toEqual([]);

		// The invited person sets a password with the link and signs in into the new tenant.
		const consumed = await fetch(`${t.bknd.url}/api/fataplus/password-links/consume`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', [SERVICE_HEADER]: SERVICE_SECRET },
			body: JSON.stringify({ token: link.token, password: 'lait-frais-antsirabe' })
		});
		expect(consumed.status).toBe(200);
		const session = await t.login('haja@laiterie-antsirabe.mg', 'lait-frais-antsirabe');
		expect(jwtClaims(session)).toMatchObject({ role: 'client', client_id: client.id });
		const own = await t.call('GET', '/api/data/entity/projects', { token: session });
		expect(own.body.data.map((p: { id: number }) => p.id)).toEqual([project.id]);
	});

	it('CONVERT-2 when the user cannot be created (the address has an account), nothing is left: no client, no project, no user, the lead untouched', async () => {
		const leadId = await newLead({ title: 'Boutique de la Laiterie', email: 'client@atelier-sud.mg' });
		const before = await counts();
		const leadBefore = await leadRow(leadId);
		const res = await convert(leadId, { ...FORM, slug: 'laiterie-boutique', contactEmail: 'Client@Atelier-Sud.mg' });
		expect(res.status).toBe(409);
		expect(res.body.code).toBe('email_taken');
		expect(res.body.error).toContain('client@atelier-sud.mg');
		// The client and the project were made before the user step failed; they are gone again.
		expect(await counts()).toEqual(before);
		expect(await db().selectFrom('clients').select('id').where('slug', '=', 'laiterie-boutique').execute()).toEqual([]);
		expect(await db().selectFrom('projects').select('id').where('title', '=', 'Boutique de la Laiterie').execute()).toEqual([]);
		// The lead is exactly as it was: same status, no client, same revision.
		expect(await leadRow(leadId)).toEqual(leadBefore);
		expect(await journalRows()).toEqual([]);

		// Corrected, the same lead converts.
		const retry = await convert(leadId, { ...FORM, slug: 'laiterie-boutique', contactEmail: 'boutique@laiterie-antsirabe.mg' });
		expect(retry.status).toBe(201);
	});

	it('CONVERT-3 converting the same lead again answers its client and duplicates nothing', async () => {
		const leadId = await newLead({ title: 'Deuxième demande' });
		const first = await convert(leadId, { ...FORM, slug: 'deuxieme-demande', contactEmail: 'deux@laiterie-antsirabe.mg' });
		expect(first.status).toBe(201);
		const before = await counts();
		for (const slug of ['deuxieme-demande', 'une-autre-adresse']) {
			const again = await convert(leadId, { ...FORM, slug, contactEmail: 'trois@laiterie-antsirabe.mg' });
			expect(again.status).toBe(409);
			expect(again.body).toMatchObject({ code: 'already_converted', slug: 'deuxieme-demande' });
		}
		// Two requests at once: one is turned away at the door, neither duplicates.
		const other = await newLead({ title: 'Double clic' });
		const racing = await Promise.all([1, 2].map(() => convert(other, { ...FORM, slug: 'double-clic', contactEmail: 'double@laiterie-antsirabe.mg' })));
		expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
		expect(await count('clients')).toBe(before.clients + 1);
		expect(await db().selectFrom('clients').select('id').where('slug', '=', 'double-clic').execute()).toHaveLength(1);
	});

	it('CONVERT-4 only staff may convert; clients, partners and anonymous callers write nothing', async () => {
		const leadId = await newLead({ title: 'Demande refusée' });
		const before = await counts();
		const body = { ...FORM, slug: 'demande-refusee', contactEmail: 'refus@laiterie-antsirabe.mg' };
		expect((await convert(leadId, body, tokens['client@ferme-verte.mg'])).status).toBe(403);
		expect((await convert(leadId, body, tokens['partner@studio-partenaire.mg'])).status).toBe(403);
		expect((await t.call('POST', `/api/fataplus/leads/${leadId}/convert`, { body })).status).toBe(401);
		expect(await counts()).toEqual(before);
		expect((await leadRow(leadId)).clients_id).toBeNull();
		// An admin may, as a designer may.
		expect((await convert(leadId, body, tokens['admin@fata.plus'])).status).toBe(201);
	});

	it('CONVERT-5 a lead that is not won, a slug taken or malformed, an unknown lead: refused before anything is written', async () => {
		const before = await counts();
		const open = await newLead({ title: 'Encore en discussion', status: 'proposal' });
		const afterLead = await counts();
		expect((await convert(open, { ...FORM, slug: 'en-discussion' })).body.code).toBe('not_won');
		const won = await newLead({ title: 'Slug déjà pris' });
		const taken = await convert(won, { ...FORM, slug: 'ferme-verte', contactEmail: 'pris@laiterie-antsirabe.mg' });
		expect(taken.status).toBe(409);
		expect(taken.body.code).toBe('slug_taken');
		for (const slug of ['Ferme Verte', 'fataplus', '-x', 'welcome']) {
			const bad = await convert(won, { ...FORM, slug, contactEmail: 'pris@laiterie-antsirabe.mg' });
			expect(bad.status, slug).toBe(400);
			expect(bad.body.code).toBe('invalid');
		}
		expect((await convert(999_999, FORM)).status).toBe(404);
		expect(await counts()).toEqual(afterLead);
		expect(afterLead).toEqual(before);
	});

	it('CONVERT-6 a conversion interrupted by a crash (client and project made, nothing else) is undone and redone by the next request', async () => {
		const leadId = await newLead({ title: 'Après la panne' });
		// What a crash right after step 2 leaves: the journal row (client id recorded, project id not yet) and the rows.
		const app = t.bknd.app;
		const startedAt = Date.now();
		await sql`CREATE TABLE IF NOT EXISTS ${sql.table(CONVERSION_JOURNAL)} (lead_id INTEGER PRIMARY KEY, slug TEXT NOT NULL, email TEXT NOT NULL, started_at INTEGER NOT NULL, client_id INTEGER, project_id INTEGER, user_id INTEGER)`.execute(db());
		const orphan = (await app.em.mutator('clients' as never).insertOne({ name: 'Après la panne', slug: 'apres-la-panne' } as never)).data as { id: number };
		const orphanProject = (await app.em.mutator('projects' as never).insertOne({ title: 'Après la panne', clients_id: orphan.id } as never)).data as { id: number };
		await sql`INSERT INTO ${sql.table(CONVERSION_JOURNAL)} (lead_id, slug, email, started_at, client_id) VALUES (${leadId}, 'apres-la-panne', 'panne@laiterie-antsirabe.mg', ${startedAt}, ${orphan.id})`.execute(db());

		const res = await convert(leadId, { ...FORM, slug: 'apres-la-panne', contactEmail: 'panne@laiterie-antsirabe.mg' });
		expect(res.status).toBe(201);
		// The leftovers are gone; exactly one client with the slug, with exactly one project: the new ones.
		expect(await db().selectFrom('clients').select('id').where('id', '=', orphan.id).execute()).toEqual([]);
		expect(await db().selectFrom('projects').select('id').where('id', '=', orphanProject.id).execute()).toEqual([]);
		const clients = await db().selectFrom('clients').select('id').where('slug', '=', 'apres-la-panne').execute();
		expect(clients).toEqual([{ id: res.body.client.id }]);
		expect(await db().selectFrom('projects').select('id').where('clients_id', '=', res.body.client.id).execute()).toEqual([{ id: res.body.project.id }]);
		expect(await journalRows()).toEqual([]);
	});
});

describe('DATA: lead revisions', () => {
	it('DATA-LEAD-1 a partial update of a lead (JSON columns left out) gets a new revision, so the live rooms do not drop it as a duplicate', async () => {
		const leadId = await newLead({ title: 'Révision', status: 'new' });
		const before = (await leadRow(leadId)).updated_at as string;
		const res = await t.call('PATCH', `/api/data/entity/leads/${leadId}`, { token: tokens['designer@fata.plus'], body: { status: 'qualified' } });
		expect(res.status).toBe(200);
		expect(Date.parse(res.body.data.updated_at)).toBeGreaterThan(Date.parse(before));
		expect((await leadRow(leadId)).updated_at).toBe(res.body.data.updated_at);
	});
});
