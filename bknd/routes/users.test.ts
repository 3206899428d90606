import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_HEADER } from '../../shared/publicApi';
import { startTestBknd, jwtClaims, type ApiResponse, type TestBknd } from '../testApi';

// Accounts and one-time password links (routes/users.ts) over real HTTP against a real bknd: who may create
// whom, what is stored of a link (its hash only), and that a link opens an account once, before it expires.

const SERVICE_SECRET = 'users-test-service-secret-0123456789abcdef';
const NEW_PASSWORD = 'mot-de-passe-tana-2026';

let t: TestBknd;
const tokens: Record<string, string> = {};
const ids = { fermeVerte: 0, agency: 0, adminUser: 0, designerUser: 0 };

/** A POST with the web app's service secret (or another header value). */
async function service(path: string, body: unknown, secret: string | null = SERVICE_SECRET): Promise<ApiResponse> {
	const res = await fetch(t.bknd.url + path, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(secret === null ? {} : { [SERVICE_HEADER]: secret }) },
		body: JSON.stringify(body)
	});
	const text = await res.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON
	}
	return { status: res.status, body: parsed as any, text };
}

const db = () => t.bknd.app.em.connection.kysely;
const countRows = async (table: string) => Number(((await db().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()) as { n: number }).n);
const createUser = (token: string | undefined, body: unknown) => t.call('POST', '/api/fataplus/users', { token, body });
const makeLink = (token: string | undefined, userId: number) => t.call('POST', `/api/fataplus/users/${userId}/password-link`, { token, body: {} });
const loginStatus = async (email: string, password: string) =>
	(await t.call('POST', '/api/auth/password/login', { body: { email, password } })).status;

beforeAll(async () => {
	t = await startTestBknd({ serviceSecret: SERVICE_SECRET });
	for (const email of ['admin@fata.plus', 'designer@fata.plus', 'partner@studio-partenaire.mg', 'client@ferme-verte.mg']) tokens[email] = await t.login(email);
	const admin = tokens['admin@fata.plus']!;
	ids.fermeVerte = (await t.call('GET', '/api/data/entity/clients', { token: admin, query: { where: { slug: 'ferme-verte' } } })).body.data[0].id;
	ids.agency = (await t.call('GET', '/api/data/entity/partners', { token: admin })).body.data[0].id;
	const users = (await t.call('GET', '/api/data/entity/users', { token: admin, query: { limit: 100 } })).body.data as { id: number; email: string }[];
	ids.adminUser = users.find((u) => u.email === 'admin@fata.plus')!.id;
	ids.designerUser = users.find((u) => u.email === 'designer@fata.plus')!.id;
}, 60_000);

afterAll(async () => {
	await t?.stop();
});

describe('USERS: creating accounts', () => {
	it('USERS-1 staff create a client account for a tenant; the answer and the account hold no password, and nobody can sign in with one yet', async () => {
		const res = await createUser(tokens['designer@fata.plus'], { email: ' Tiana@Ferme-Verte.mg ', name: 'Tiana Ravelo', role: 'client', clientId: ids.fermeVerte });
		expect(res.status).toBe(201);
		expect(res.body.user).toEqual({ id: expect.any(Number), email: 'tiana@ferme-verte.mg', name: 'Tiana Ravelo', role: 'client', clientId: ids.fermeVerte, partnerId: null });
		expect(res.text).not.toMatch(/password|strategy_value|\$2[aby]\$/);
		const row = await db().selectFrom('users' as string).selectAll().where('id', '=', res.body.user.id).executeTakeFirst();
		expect(row).toMatchObject({ role: 'client', client_id: ids.fermeVerte, partner_id: null, strategy: 'password' });
		// bcrypt (config.ts), of a random password nobody was told.
		expect(String((row as { strategy_value: string }).strategy_value)).toMatch(/^\$2[aby]\$10\$/);
		expect(await loginStatus('tiana@ferme-verte.mg', 'fataplus-demo')).not.toBe(200);
	});

	it('USERS-2 the same address again, in any letter case, is refused with email_taken and writes nothing', async () => {
		const before = await countRows('users');
		for (const email of ['tiana@ferme-verte.mg', 'TIANA@ferme-verte.mg', 'client@ferme-verte.mg']) {
			const res = await createUser(tokens['admin@fata.plus'], { email, name: 'Doublon', role: 'client', clientId: ids.fermeVerte });
			expect(res.status, email).toBe(409);
			expect(res.body.code).toBe('email_taken');
		}
		expect(await countRows('users')).toBe(before);
	});

	it('USERS-3 a designer creates partner accounts but never staff; an admin creates staff', async () => {
		const partner = await createUser(tokens['designer@fata.plus'], { email: 'mamy@studio-partenaire.mg', name: 'Mamy', role: 'partner', partnerId: ids.agency });
		expect(partner.status).toBe(201);
		expect(partner.body.user).toMatchObject({ role: 'partner', partnerId: ids.agency, clientId: null });

		const before = await countRows('users');
		for (const role of ['admin', 'designer']) {
			const res = await createUser(tokens['designer@fata.plus'], { email: `nouveau-${role}@fata.plus`, name: 'Nouveau', role });
			expect(res.status, role).toBe(403);
			expect(res.body.code).toBe('forbidden_role');
		}
		expect(await countRows('users')).toBe(before);

		const designer = await createUser(tokens['admin@fata.plus'], { email: 'voahirana@fata.plus', name: 'Voahirana', role: 'designer' });
		expect(designer.status).toBe(201);
		expect(designer.body.user).toMatchObject({ role: 'designer', clientId: null, partnerId: null });
	});

	it('USERS-4 clients, partners and anonymous callers are refused (403/401) and nothing is written', async () => {
		const before = await countRows('users');
		const body = { email: 'intrus@exemple.mg', name: 'Intrus', role: 'client', clientId: ids.fermeVerte };
		expect((await createUser(tokens['client@ferme-verte.mg'], body)).status).toBe(403);
		expect((await createUser(tokens['partner@studio-partenaire.mg'], { ...body, role: 'admin' })).status).toBe(403);
		expect((await createUser(undefined, body)).status).toBe(401);
		expect((await createUser('not.a.token', body)).status).toBe(401);
		expect(await countRows('users')).toBe(before);
	});

	it('USERS-5 a bad body is refused with the field issues: no tenant, an unknown tenant or agency, extra fields', async () => {
		const admin = tokens['admin@fata.plus']!;
		const missing = await createUser(admin, { email: 'a@b.mg', name: 'A', role: 'client' });
		expect(missing.status).toBe(400);
		expect(missing.body).toMatchObject({ code: 'invalid', issues: [{ path: ['clientId'], message: 'users.tenantRequired' }] });
		expect((await createUser(admin, { email: 'a@b.mg', name: 'A', role: 'client', clientId: 999_999 })).body.code).toBe('unknown_tenant');
		expect((await createUser(admin, { email: 'a@b.mg', name: 'A', role: 'partner', partnerId: 999_999 })).body.code).toBe('unknown_agency');
		expect((await createUser(admin, { email: 'a@b.mg', name: 'A', role: 'admin', password: 'choisi' })).status).toBe(400);
		expect((await t.call('POST', '/api/fataplus/users', { token: admin, body: 'pas du json' })).status).toBe(400);
	});
});

describe('LINKS: one-time password links', () => {
	const newClient = async (email: string) =>
		(await createUser(tokens['admin@fata.plus'], { email, name: 'Compte test', role: 'client', clientId: ids.fermeVerte })).body.user.id as number;

	it('LINKS-1 a link stores only the SHA-256 of its token, with an expiry in 72 hours and who made it', async () => {
		const userId = await newClient('hash@ferme-verte.mg');
		const res = await makeLink(tokens['designer@fata.plus'], userId);
		expect(res.status).toBe(201);
		expect(res.body).toMatchObject({ userId, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
		const rows = await db().selectFrom('password_links').selectAll().where('user_id', '=', userId).execute();
		expect(rows).toHaveLength(1);
		expect(rows[0]!.token_hash).toBe(createHash('sha256').update(res.body.token).digest('hex'));
		expect(JSON.stringify(rows)).not.toContain(res.body.token);
		const hours = (Date.parse(String(rows[0]!.expires_at)) - Date.now()) / 3600_000;
		expect(hours).toBeGreaterThan(71.9);
		expect(hours).toBeLessThanOrEqual(72);
		expect(rows[0]).toMatchObject({ created_by: ids.designerUser, used_at: null });
	});

	it('LINKS-2 a link sets the password once: the person signs in with it, a second use is refused and changes nothing', async () => {
		const email = 'une-fois@ferme-verte.mg';
		const userId = await newClient(email);
		const { token } = (await makeLink(tokens['admin@fata.plus'], userId)).body;
		const check = await service('/api/fataplus/password-links/check', { token });
		expect(check.status).toBe(200);
		expect(check.body).toEqual({ userId, email, name: 'Compte test' });

		const used = await service('/api/fataplus/password-links/consume', { token, password: NEW_PASSWORD });
		expect(used.status).toBe(200);
		expect(used.body).toEqual({ userId, email, name: 'Compte test' });
		const session = await t.login(email, NEW_PASSWORD);
		expect(jwtClaims(session)).toMatchObject({ role: 'client', client_id: ids.fermeVerte });

		const again = await service('/api/fataplus/password-links/consume', { token, password: 'un-autre-mot-de-passe' });
		expect(again.status).toBe(410);
		expect(again.body.code).toBe('used');
		expect((await service('/api/fataplus/password-links/check', { token })).body.code).toBe('used');
		expect(await loginStatus(email, 'un-autre-mot-de-passe')).not.toBe(200);
		expect(await loginStatus(email, NEW_PASSWORD)).toBe(200);
	});

	it('LINKS-3 an expired or unknown link is refused with its reason and changes nothing', async () => {
		const email = 'expire@ferme-verte.mg';
		const userId = await newClient(email);
		const { token } = (await makeLink(tokens['admin@fata.plus'], userId)).body;
		await db().updateTable('password_links').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('user_id', '=', userId).execute();
		const expired = await service('/api/fataplus/password-links/consume', { token, password: NEW_PASSWORD });
		expect(expired.status).toBe(410);
		expect(expired.body.code).toBe('expired');
		expect(await loginStatus(email, NEW_PASSWORD)).not.toBe(200);
		expect((await db().selectFrom('password_links').select('used_at').where('user_id', '=', userId).executeTakeFirst())?.used_at).toBeNull();

		const unknown = await service('/api/fataplus/password-links/consume', { token: 'A'.repeat(43), password: NEW_PASSWORD });
		expect(unknown.status).toBe(404);
		expect(unknown.body.code).toBe('unknown');
		expect((await service('/api/fataplus/password-links/check', { token: 'pas-un-jeton' })).body.code).toBe('unknown');
		// A password the rules refuse does not use the link either.
		const fresh = (await makeLink(tokens['admin@fata.plus'], userId)).body.token;
		expect((await service('/api/fataplus/password-links/consume', { token: fresh, password: 'court' })).status).toBe(400);
		expect((await service('/api/fataplus/password-links/check', { token: fresh })).status).toBe(200);
	});

	it('LINKS-4 a new link replaces the unused one; two uses racing on one link: exactly one wins', async () => {
		const email = 'course@ferme-verte.mg';
		const userId = await newClient(email);
		const first = (await makeLink(tokens['admin@fata.plus'], userId)).body.token;
		const second = (await makeLink(tokens['admin@fata.plus'], userId)).body.token;
		expect((await service('/api/fataplus/password-links/check', { token: first })).body.code).toBe('unknown');
		const answers = await Promise.all(['course-numero-un-2026', 'course-numero-deux-2026'].map((password) => service('/api/fataplus/password-links/consume', { token: second, password })));
		expect(answers.map((a) => a.status).sort()).toEqual([200, 410]);
	});

	it('LINKS-5 a designer may not make a link for staff (that would take the account over); clients, partners and anonymous may make none', async () => {
		const before = await countRows('password_links');
		for (const target of [ids.adminUser, ids.designerUser]) {
			const res = await makeLink(tokens['designer@fata.plus'], target);
			expect(res.status).toBe(403);
			expect(res.body.code).toBe('forbidden_role');
			expect(res.text).not.toMatch(/"token"/);
		}
		const client = await newClient('cible@ferme-verte.mg');
		expect((await makeLink(tokens['client@ferme-verte.mg'], client)).status).toBe(403);
		expect((await makeLink(tokens['partner@studio-partenaire.mg'], client)).status).toBe(403);
		expect((await makeLink(undefined, client)).status).toBe(401);
		expect((await makeLink(tokens['admin@fata.plus'], 999_999)).status).toBe(404);
		expect(await countRows('password_links')).toBe(before);
		// An admin may reset a designer's password.
		expect((await makeLink(tokens['admin@fata.plus'], ids.designerUser)).status).toBe(201);
	});

	it('LINKS-6 only the web app (service secret) may check or use a link', async () => {
		const email = 'service@ferme-verte.mg';
		const userId = await newClient(email);
		const { token } = (await makeLink(tokens['admin@fata.plus'], userId)).body;
		for (const secret of [null, 'wrong-secret', `${SERVICE_SECRET}x`]) {
			expect((await service('/api/fataplus/password-links/consume', { token, password: NEW_PASSWORD }, secret)).status).toBe(403);
			expect((await service('/api/fataplus/password-links/check', { token }, secret)).status).toBe(403);
		}
		// A signed-in admin without the secret is refused too.
		const asAdmin = await t.call('POST', '/api/fataplus/password-links/consume', { token: tokens['admin@fata.plus'], body: { token, password: NEW_PASSWORD } });
		expect(asAdmin.status).toBe(403);
		expect(await loginStatus(email, NEW_PASSWORD)).not.toBe(200);
		expect((await service('/api/fataplus/password-links/check', { token })).status).toBe(200);
	});
});
