import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_IP_HEADER, PUBLIC_APPLICATIONS_ROUTE, PUBLIC_COHORTS_ROUTE, SERVICE_HEADER } from '../../shared/publicApi';
import { seedDemo } from '../seed';
import { startTestBknd, type TestBknd } from '../testApi';

// bknd's public bootcamp routes (routes/bootcamp.ts) over real HTTP against a real, seeded bknd. What must never
// happen: a caller without the web app's secret reading or writing anything, bknd's REST API answering
// applications to anyone but staff, an application stored for a cohort that takes none, more than 5 from one
// address in 10 minutes, or anything half-stored when an application is refused.

const SECRET = 'bootcamp-test-service-secret-0123456789';

let t: TestBknd;
let admin = '';
const cohorts = { finished: 0, running: 0, open: 0 };

interface Answer {
	status: number;
	body: any;
	text: string;
	headers: Headers;
}

/** One request to a public route, as the web app's server sends it. */
async function service(method: 'GET' | 'POST', path: string, { secret = SECRET, ip, body }: { secret?: string | null; ip?: string; body?: unknown } = {}): Promise<Answer> {
	const res = await fetch(t.bknd.url + path, {
		method,
		headers: {
			...(secret === null ? {} : { [SERVICE_HEADER]: secret }),
			...(ip ? { [CLIENT_IP_HEADER]: ip } : {}),
			...(body === undefined ? {} : { 'content-type': 'application/json' })
		},
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
	});
	const text = await res.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON
	}
	return { status: res.status, body: parsed, text, headers: res.headers };
}

const apply = (body: unknown, ip: string, secret?: string | null) => service('POST', PUBLIC_APPLICATIONS_ROUTE, { body, ip, secret });

/** A valid application to `cohortId`; `tag` makes the email unique so a stored row can be found. */
const application = (cohortId: number, tag: string) => ({
	cohortId,
	fullName: `Candidat ${tag}`,
	email: `${tag}@example.com`,
	phone: '+261 34 00 000 00',
	level: 'beginner',
	occupation: 'Étudiant',
	motivation: 'Je veux apprendre à concevoir des interfaces avec Figma, de la maquette au prototype.',
	heardFrom: 'search',
	consent: true
});

async function applicationRows(): Promise<{ id: number; email: string; status: string; bootcamp_cohorts_id: number; answers: unknown; full_name: string }[]> {
	return (await t.bknd.app.em.connection.kysely.selectFrom('bootcamp_applications').selectAll().execute()) as never;
}

beforeAll(async () => {
	t = await startTestBknd({ serviceSecret: SECRET });
	admin = await t.login('admin@fata.plus');
	const rows = (await t.call('GET', '/api/data/entity/bootcamp_cohorts', { token: admin, query: { limit: 100 } })).body.data as { id: number; status: string }[];
	for (const status of ['finished', 'running', 'open'] as const) cohorts[status] = rows.find((c) => c.status === status)!.id;
}, 60_000);

afterAll(async () => {
	await t?.stop();
});

describe('BOOT-API: who may call the public routes', () => {
	it('BOOT-API-1 without the service secret, or with a wrong one, nothing is read or written (401)', async () => {
		const before = (await applicationRows()).length;
		for (const secret of [null, 'wrong', `${SECRET}x`, SECRET.slice(0, -1)]) {
			const list = await service('GET', PUBLIC_COHORTS_ROUTE, { secret });
			expect(list.status).toBe(401);
			expect(list.text).not.toContain('Bootcamp');
			const write = await apply(application(cohorts.open, `nosecret-${secret?.length ?? 0}`), '203.0.113.1', secret);
			expect(write.status).toBe(401);
		}
		expect((await applicationRows()).length).toBe(before);
	});

	it('BOOT-API-2 bknd’s REST API never answers applications or cohorts to anonymous callers, clients or partners; staff read them', async () => {
		const [client, partner, designer] = await Promise.all(['client@ferme-verte.mg', 'partner@studio-partenaire.mg', 'designer@fata.plus'].map((e) => t.login(e)));
		for (const entity of ['bootcamp_applications', 'bootcamp_cohorts']) {
			const anonymous = await t.call('GET', `/api/data/entity/${entity}`);
			expect(anonymous.status).toBe(403);
			for (const token of [client, partner]) {
				const res = await t.call('GET', `/api/data/entity/${entity}`, { token });
				expect(res.status, entity).toBeGreaterThanOrEqual(400);
				expect(res.text).not.toContain('@example.com');
			}
			// Nor can anyone but staff write one (an application made through REST would skip every rule).
			const forged = await t.call('POST', `/api/data/entity/${entity}`, { token: client, body: { full_name: 'X', email: 'x@example.com', title: 'X' } });
			expect(forged.status).toBeGreaterThanOrEqual(400);
		}
		const staff = await t.call('GET', '/api/data/entity/bootcamp_applications', { token: designer, query: { limit: 100 } });
		expect(staff.status).toBe(200);
		expect(staff.body.data.length).toBeGreaterThanOrEqual(15);
	});
});

describe('BOOT-API: cohorts', () => {
	it('BOOT-API-3 lists the cohorts a visitor may see with their seats left, never a finished one nor any applicant', async () => {
		const res = await service('GET', PUBLIC_COHORTS_ROUTE);
		expect(res.status).toBe(200);
		const list = res.body.cohorts as { id: number; status: string; seats: number; seatsLeft: number; startDate: string; priceMga: number; weeks: number }[];
		expect(list.map((c) => c.id)).toEqual([cohorts.running, cohorts.open]);
		const open = list.find((c) => c.id === cohorts.open)!;
		// 20 seats, one accepted application in the seed (received, waitlisted and rejected hold none).
		expect(open).toMatchObject({ status: 'open', seats: 20, seatsLeft: 19, startDate: '2027-02-01', priceMga: 790_000, weeks: 12 });
		for (const cohort of list) expect(Object.keys(cohort).sort()).toEqual(['id', 'priceMga', 'seats', 'seatsLeft', 'startDate', 'status', 'title', 'weeks']);
		expect(res.text).not.toContain('@');
		expect(res.text).not.toContain('Rasoanaivo');
	});
});

describe('BOOT-API: applications', () => {
	it('BOOT-API-4 stores a valid application with status received, for its cohort, trimmed, without the honeypot', async () => {
		const res = await apply({ ...application(cohorts.open, 'heureux'), fullName: '  Heureux Candidat ', website: '' }, '203.0.113.4');
		expect(res.status).toBe(201);
		expect(res.body).toEqual({ ok: true, id: expect.any(Number) });
		const row = (await applicationRows()).find((r) => r.id === res.body.id)!;
		expect(row).toMatchObject({ full_name: 'Heureux Candidat', email: 'heureux@example.com', status: 'received', bootcamp_cohorts_id: cohorts.open });
		const answers = typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers;
		expect(answers).toEqual({
			motivation: application(0, '').motivation,
			level: 'beginner',
			occupation: 'Étudiant',
			portfolioUrl: null,
			heardFrom: 'search',
			consent: true
		});
		// A received application holds no seat.
		const open = (await service('GET', PUBLIC_COHORTS_ROUTE)).body.cohorts.find((c: { id: number }) => c.id === cohorts.open);
		expect(open.seatsLeft).toBe(19);
	});

	it('BOOT-API-5 refuses closed, running, finished, full and unknown cohorts (409) and stores nothing', async () => {
		const closed = await t.call('POST', '/api/data/entity/bootcamp_cohorts', { token: admin, body: { title: 'Fermée', seats: 10, status: 'closed', weeks: 12 } });
		const full = await t.call('POST', '/api/data/entity/bootcamp_cohorts', { token: admin, body: { title: 'Complète', seats: 1, status: 'open', weeks: 12 } });
		expect([closed.status, full.status]).toEqual([201, 201]);
		const taken = await t.call('POST', '/api/data/entity/bootcamp_applications', {
			token: admin,
			body: { full_name: 'Place prise', email: 'prise@example.com', status: 'enrolled', bootcamp_cohorts_id: full.body.data.id }
		});
		expect(taken.status).toBe(201);
		const before = (await applicationRows()).length;

		const cases: [number, string][] = [
			[closed.body.data.id, 'cohort_closed'],
			[cohorts.running, 'cohort_closed'],
			[cohorts.finished, 'cohort_closed'],
			[full.body.data.id, 'cohort_full'],
			[999_999, 'unknown_cohort']
		];
		for (const [[cohortId, error], i] of cases.map((c, i) => [c, i] as const)) {
			const res = await apply(application(cohortId, `refus-${i}`), `203.0.113.5${i}`);
			expect(res.status, error).toBe(409);
			expect(res.body).toEqual({ ok: false, error });
		}
		expect((await applicationRows()).length).toBe(before);
		// The full cohort says so on the public list too.
		const listed = (await service('GET', PUBLIC_COHORTS_ROUTE)).body.cohorts.find((c: { id: number }) => c.id === full.body.data.id);
		expect(listed).toMatchObject({ status: 'open', seatsLeft: 0 });
	});

	it('BOOT-API-6 a 6th application from one address within 10 minutes is refused (429, Retry-After) and not stored; another address still applies', async () => {
		const ip = '198.51.100.6';
		const before = (await applicationRows()).length;
		for (let i = 1; i <= 5; i++) expect((await apply(application(cohorts.open, `limite-${i}`), ip)).status).toBe(201);
		const sixth = await apply(application(cohorts.open, 'limite-6'), ip);
		expect(sixth.status).toBe(429);
		expect(sixth.body).toMatchObject({ ok: false, error: 'too_many_submissions' });
		expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(Number(sixth.headers.get('retry-after'))).toBeLessThanOrEqual(600);
		const rows = await applicationRows();
		expect(rows.length).toBe(before + 5);
		expect(rows.some((r) => r.email === 'limite-6@example.com')).toBe(false);
		expect((await apply(application(cohorts.open, 'autre-adresse'), '198.51.100.7')).status).toBe(201);
	});

	it('BOOT-API-7 refuses an invalid, oversized, non-JSON or address-less body (400/413) and a bot’s honeypot stores nothing', async () => {
		const before = (await applicationRows()).length;
		const invalid = await apply({ ...application(cohorts.open, 'invalide'), email: 'pas-un-email', consent: false }, '203.0.113.7');
		expect(invalid.status).toBe(400);
		expect(invalid.body).toMatchObject({ ok: false, error: 'invalid', fields: expect.arrayContaining(['email', 'consent']) });
		const big = await apply({ ...application(cohorts.open, 'gros'), motivation: 'x'.repeat(70 * 1024) }, '203.0.113.7');
		expect(big.status).toBe(413);
		expect((await apply('{pas du json', '203.0.113.7')).status).toBe(400);
		expect((await service('POST', PUBLIC_APPLICATIONS_ROUTE, { body: application(cohorts.open, 'sans-ip') })).status).toBe(400);
		const bot = await apply({ ...application(cohorts.open, 'robot'), website: 'http://spam.example' }, '203.0.113.7');
		expect(bot.status).toBe(201);
		expect(bot.body).toEqual({ ok: true });
		const rows = await applicationRows();
		expect(rows.length).toBe(before);
		expect(rows.some((r) => /robot|invalide|gros|sans-ip/.test(r.email))).toBe(false);
	});
});

describe('BOOT-SEED: demo data', () => {
	it('BOOT-SEED-1 seeds three cohorts and applications in every status, and a second run adds nothing', async () => {
		const count = async (table: string) => Number(((await t.bknd.app.em.connection.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()) as { n: number }).n);
		const seeded = (await applicationRows()).filter((r) => r.email.endsWith('@example.com') && /^[a-z]+\.[a-z]+@/.test(r.email));
		expect(new Set(seeded.map((r) => r.status))).toEqual(new Set(['received', 'accepted', 'waitlisted', 'rejected', 'enrolled', 'completed', 'dropped']));
		const before = { cohorts: await count('bootcamp_cohorts'), applications: await count('bootcamp_applications') };
		await seedDemo(t.bknd.app);
		expect({ cohorts: await count('bootcamp_cohorts'), applications: await count('bootcamp_applications') }).toEqual(before);
	});
});
