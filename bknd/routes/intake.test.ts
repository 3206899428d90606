import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../scripts/lib/waitFor';
import { completeAnalysis } from '../../shared/intake/analysis';
import { sampleBrief, sampleClaudeAnalysis } from '../../shared/intake/testKit';
import { CLIENT_IP_HEADER, SERVICE_HEADER } from '../../shared/publicApi';
import { OUTBOX_TABLE } from '../bridge/bridgeTables';
import { startTestBknd, type TestBknd } from '../testApi';

// The intake's bknd routes (routes/intake.ts) over real HTTP against a real bknd. What must never happen: a lead
// created without the web app's secret, more than 5 submissions per address in 10 minutes, an analysis written
// over one already stored (staff may have edited the draft since), a lead the live bridge does not hear of.

const SECRET = 'intake-test-service-secret-0123456789abcdef';
const LEADS = '/api/fataplus/public/leads';
const analysisPath = (id: number | string) => `${LEADS}/${id}/analysis`;

let t: TestBknd;
let admin: string;

beforeAll(async () => {
	t = await startTestBknd({ serviceSecret: SECRET });
	admin = await t.login('admin@fata.plus');
}, 60_000);

afterAll(async () => {
	await t?.stop();
});

/** One call with the headers the web app sends; `secret: null` sends none. */
async function send(method: string, path: string, { body, secret = SECRET, ip = '203.0.113.1' }: { body?: unknown; secret?: string | null; ip?: string | null } = {}) {
	const res = await fetch(t.bknd.url + path, {
		method,
		headers: {
			'content-type': 'application/json',
			...(secret === null ? {} : { [SERVICE_HEADER]: secret }),
			...(ip === null ? {} : { [CLIENT_IP_HEADER]: ip })
		},
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

async function leadsTitled(title: string): Promise<any[]> {
	const res = await t.call('GET', '/api/data/entity/leads', { token: admin, query: { where: { title }, limit: 100 } });
	expect(res.status).toBe(200);
	return res.body.data;
}

async function leadCount(): Promise<number> {
	const rows = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM leads`.execute(t.bknd.app.em.connection.kysely);
	return Number(rows.rows[0]!.n);
}

const analysis = () => completeAnalysis(sampleClaudeAnalysis(), 'claude');

describe('INTAKE-BKND: creating a lead', () => {
	it('INTAKE-BKND-1 the web app creates a pending intake lead with the whole brief; the live bridge hears it', async () => {
		const brief = sampleBrief({ title: 'Lead créé par le service' });
		const res = await send('POST', LEADS, { body: { brief } });
		expect(res.status).toBe(201);
		expect(res.body).toEqual({ id: expect.any(Number) });

		const [lead] = await leadsTitled(brief.title);
		expect(lead).toMatchObject({
			id: res.body.id,
			company: brief.company,
			contact_name: brief.contactName,
			email: brief.email,
			phone: brief.phone,
			status: 'new',
			source: 'intake',
			industry: 'agritech',
			analysis_status: 'pending',
			analysis: null,
			proposal_draft: null
		});
		expect(lead.brief).toEqual(brief);
		// Written through the mutator: the bridge queued its insert for the staff room.
		const eventId = `leads:${res.body.id}:insert:%`;
		await waitFor(
			async () => {
				const rows = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(OUTBOX_TABLE)} WHERE room = 'fataplus' AND event_id LIKE ${eventId}`.execute(
					t.bknd.app.em.connection.kysely
				);
				return Number(rows.rows[0]!.n) === 1;
			},
			{ message: 'the lead insert in the live outbox' }
		);
	});

	it('INTAKE-BKND-2 without the service secret, or with a wrong one, nothing is stored (401)', async () => {
		const before = await leadCount();
		const brief = sampleBrief({ title: 'Lead sans secret' });
		for (const secret of [null, '', 'wrong-secret', `${SECRET}x`, SECRET.slice(0, -1)]) {
			const res = await send('POST', LEADS, { body: { brief }, secret });
			expect(res.status, `secret ${JSON.stringify(secret)}`).toBe(401);
			expect(res.body.error).toBeTruthy();
		}
		// A signed-in admin is not the web app either: the route takes the secret only.
		const asAdmin = await t.call('POST', LEADS, { token: admin, body: { brief } });
		expect(asAdmin.status).toBe(401);
		expect(await leadCount()).toBe(before);
		expect(await leadsTitled(brief.title)).toEqual([]);
	});

	it('INTAKE-BKND-3 a brief that does not parse, or no visitor address, is refused (400) and nothing is stored', async () => {
		const before = await leadCount();
		const bad = [
			{ body: { brief: sampleBrief({ email: 'pas-une-adresse' }) } },
			{ body: { brief: { ...sampleBrief(), consent: false } } },
			{ body: { brief: sampleBrief({ title: 'x'.repeat(500) }) } },
			{ body: { brief: { ...sampleBrief(), industry: 'casino' } } },
			{ body: sampleBrief() },
			{ body: '{"brief": ' },
			{ body: { brief: sampleBrief() }, ip: null }
		];
		for (const [index, call] of bad.entries()) {
			const res = await send('POST', LEADS, call);
			expect(res.status, `case ${index}`).toBe(400);
			expect(res.body.error).toBeTruthy();
		}
		expect(await leadCount()).toBe(before);
	});

	it('INTAKE-BKND-4 the 6th submission from one address in 10 minutes is refused (429, retryAfterSeconds); another address still passes', async () => {
		const ip = '198.51.100.77';
		for (let n = 1; n <= 5; n++) {
			const res = await send('POST', LEADS, { body: { brief: sampleBrief({ title: `Limite ${n}` }) }, ip });
			expect(res.status, `submission ${n}`).toBe(201);
		}
		const before = await leadCount();
		const sixth = await send('POST', LEADS, { body: { brief: sampleBrief({ title: 'Limite 6' }) }, ip });
		expect(sixth.status).toBe(429);
		expect(sixth.body.retryAfterSeconds).toBeGreaterThan(500);
		expect(sixth.body.retryAfterSeconds).toBeLessThanOrEqual(600);
		expect(sixth.headers.get('retry-after')).toBe(String(sixth.body.retryAfterSeconds));
		expect(await leadCount()).toBe(before);
		expect(await leadsTitled('Limite 6')).toEqual([]);

		const other = await send('POST', LEADS, { body: { brief: sampleBrief({ title: 'Autre adresse' }) }, ip: '198.51.100.78' });
		expect(other.status).toBe(201);
	});
});

describe('INTAKE-BKND: storing the analysis', () => {
	it('INTAKE-BKND-5 stores the analysis, its source and the draft once; a later call never overwrites it (409)', async () => {
		const created = await send('POST', LEADS, { body: { brief: sampleBrief({ title: 'Lead à analyser' }) }, ip: '203.0.113.5' });
		const id = created.body.id as number;

		const stored = await send('PUT', analysisPath(id), { body: { analysis: analysis() } });
		expect(stored.status).toBe(200);
		const [lead] = await leadsTitled('Lead à analyser');
		const { proposal_draft, ...rest } = analysis();
		expect(lead).toMatchObject({ analysis_status: 'done', analysis_source: 'claude', proposal_draft });
		expect(lead.analysis).toEqual(rest);
		expect(lead.analysis.budget_estimate_mga).toBe(4_150_000);

		// Staff edit the draft; a replayed or late call (even an offline one) must not undo that.
		const edited = await t.call('PATCH', `/api/data/entity/leads/${id}`, { token: admin, body: { proposal_draft: 'Brouillon relu par Hery.' } });
		expect(edited.status).toBe(200);
		const offline = completeAnalysis(sampleClaudeAnalysis({ summary: 'Une autre analyse, arrivée trop tard pour compter.' }), 'offline');
		const again = await send('PUT', analysisPath(id), { body: { analysis: offline } });
		expect(again.status).toBe(409);
		const [after] = await leadsTitled('Lead à analyser');
		expect(after).toMatchObject({ proposal_draft: 'Brouillon relu par Hery.', analysis_source: 'claude' });
		expect(after.analysis.summary).toBe(rest.summary);
	});

	it('INTAKE-BKND-6 two racing calls for one lead: exactly one is stored', async () => {
		const created = await send('POST', LEADS, { body: { brief: sampleBrief({ title: 'Lead en course' }) }, ip: '203.0.113.6' });
		const contenders = [1, 2, 3, 4, 5, 6].map((n) =>
			completeAnalysis(sampleClaudeAnalysis({ summary: `Analyse numéro ${n}, envoyée en même temps que les autres.` }), n % 2 ? 'claude' : 'offline')
		);
		const answers = await Promise.all(contenders.map((a) => send('PUT', analysisPath(created.body.id), { body: { analysis: a } })));
		expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
		const [lead] = await leadsTitled('Lead en course');
		const winner = contenders[answers.findIndex((a) => a.status === 200)]!;
		expect(lead.analysis.summary).toBe(winner.summary);
		expect(lead.analysis_source).toBe(winner.source);
	});

	it('INTAKE-BKND-7 refuses without the secret (401), a bad id or analysis (400), an unknown lead (404); nothing changes', async () => {
		const created = await send('POST', LEADS, { body: { brief: sampleBrief({ title: 'Lead protégé' }) }, ip: '203.0.113.7' });
		const id = created.body.id as number;
		expect((await send('PUT', analysisPath(id), { body: { analysis: analysis() }, secret: null })).status).toBe(401);
		expect((await send('PUT', analysisPath(id), { body: { analysis: analysis() }, secret: 'nope' })).status).toBe(401);
		expect((await t.call('PUT', analysisPath(id), { token: admin, body: { analysis: analysis() } })).status).toBe(401);
		for (const bad of ['0', '-1', 'abc', '1.5']) expect((await send('PUT', analysisPath(bad), { body: { analysis: analysis() } })).status).toBe(400);
		const invalid = [{ ...analysis(), complexity: 'extreme' }, { ...analysis(), budget_range_mga: { min: 5, max: 1 } }, { ...analysis(), source: 'gpt' }, {}];
		for (const bad of invalid) expect((await send('PUT', analysisPath(id), { body: { analysis: bad } })).status).toBe(400);
		expect((await send('PUT', analysisPath(999_999), { body: { analysis: analysis() } })).status).toBe(404);

		const [lead] = await leadsTitled('Lead protégé');
		expect(lead).toMatchObject({ analysis_status: 'pending', analysis: null, analysis_source: null, proposal_draft: null });
	});
});
