import { openSqliteFile } from '../../bknd/sqliteFile';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IntakeBrief } from '../../shared/intake/brief';
import type { IntakeEvent } from '../../shared/intake/stream';
import { sampleBrief, sampleClaudeAnalysis } from '../../shared/intake/testKit';
import type { LoggedEvent } from '../../shared/live/events';
import { LIVE_PROTOCOL_VERSION, type LiveServerMessage } from '../../shared/live/wire';
import { waitFor } from '../../scripts/lib/waitFor';
import { bkndLogin, bkndRows, resetSubmissionLimit } from '../harness/bkndApi';
import { apiKeyOf, briefOf, startFakeAnthropic, type FakeAnthropic, type FakeReply, type RecordedRequest } from '../harness/fakeAnthropic';
import { tryUpgrade, type RecordedSocket } from '../harness/rawSocket';
import { mintRoomToken } from '../harness/roomTokens';
import { DEMO_USERS, startStack, type Stack } from '../harness/stack';

// The public intake over real HTTP: the built web app under wrangler dev (POST /api/leads), real bknd, real live
// rooms, and Claude played by a local server speaking the Anthropic wire format. What must never happen: a
// submission lost once the visitor was told it is saved (whatever Claude does), a visitor left without an
// analysis, a lead stored for an invalid form, a honeypot hit or a refused one, a 6th submission in 10 minutes
// from one address, a half-made lead when bknd is down.
//
// Claude's behaviour is chosen per request by a marker in the brief's title ([gated], [429], [500], [malformed],
// [slow]), so submissions can run side by side. Outside production the web app counts every caller as one
// address (it believes cf-connecting-ip only behind Cloudflare), so bknd's per-address counter is emptied before
// each test and the limit only bites where it is tested; the `ip` each test still sends is a forged
// cf-connecting-ip, which changes nothing.

let stack: Stack;
let fake: FakeAnthropic;
let admin: string;
let gate: { promise: Promise<void>; release: () => void };
/** The [slow] submission, started first: Claude never answers it and the 30 s limit runs while the others are tested. */
let slow: Promise<Submission>;

interface Submission {
	status: number;
	headers: Headers;
	/** The refusal's JSON body, when the answer is not a stream. */
	json?: any;
	events: IntakeEvent[];
	/** When each event arrived (Date.now()). */
	at: number[];
}

interface LeadRow {
	id: number;
	title: string;
	status: string;
	source: string;
	brief: IntakeBrief;
	analysis: any;
	analysis_source: string | null;
	analysis_status: string | null;
	proposal_draft: string | null;
	email: string;
}

const titleOf = (request: RecordedRequest) => String(briefOf(request)?.title ?? '');
const requestsFor = (title: string) => fake.requests.filter((request) => titleOf(request) === title);

function chooseReply(request: RecordedRequest): FakeReply | undefined {
	const title = titleOf(request);
	const earlier = requestsFor(title).length - 1;
	if (title.includes('[gated]')) return { kind: 'answer', hold: gate.promise, chunk: 80 };
	if (title.includes('[429]')) return { kind: 'status', status: 429, retryAfter: '120' };
	if (title.includes('[500]')) return earlier < 2 ? { kind: 'status', status: 500 } : { kind: 'answer' };
	if (title.includes('[malformed]')) {
		return earlier === 0 ? { kind: 'answer', raw: '{"summary": "Analyse interrompue", "phases": [' } : { kind: 'answer', input: { ...sampleClaudeAnalysis(), budget_range_mga: { min: -5, max: 'beaucoup' } } };
	}
	if (title.includes('[slow]')) return { kind: 'stall' };
	return undefined;
}

function newGate() {
	let release!: () => void;
	const promise = new Promise<void>((resolve) => (release = resolve));
	return { promise, release };
}

/** POST /api/leads as a browser would (JSON body), from `ip`; reads the stream event by event. */
async function submit(body: unknown, ip: string, { onEvent, headers = {} }: { onEvent?: (event: IntakeEvent) => void; headers?: Record<string, string> } = {}): Promise<Submission> {
	const res = await fetch(`http://127.0.0.1:${stack.web.port}/api/leads`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip, ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
	if (!res.headers.get('content-type')?.startsWith('application/x-ndjson')) {
		return { status: res.status, headers: res.headers, json: await res.json(), events: [], at: [] };
	}
	const submission: Submission = { status: res.status, headers: res.headers, events: [], at: [] };
	const decoder = new TextDecoder();
	let buffer = '';
	for await (const chunk of res.body!) {
		buffer += decoder.decode(chunk, { stream: true });
		let end: number;
		while ((end = buffer.indexOf('\n')) >= 0) {
			const event = JSON.parse(buffer.slice(0, end)) as IntakeEvent;
			buffer = buffer.slice(end + 1);
			submission.events.push(event);
			submission.at.push(Date.now());
			onEvent?.(event);
		}
	}
	expect(buffer).toBe('');
	return submission;
}

async function leadsTitled(title: string): Promise<LeadRow[]> {
	return bkndRows<LeadRow>(stack.bknd.url, admin, 'leads', `&where=${encodeURIComponent(JSON.stringify({ title }))}`);
}

async function leadCount(): Promise<number> {
	return (await bkndRows(stack.bknd.url, admin, 'leads', '&select=id')).length;
}

/** Leads in bknd's SQLite file (all, or with this title), read directly: for when bknd is stopped. */
async function leadsInFile(title?: string): Promise<number> {
	const db = openSqliteFile(stack.bknd.dbPath);
	try {
		const rows = title === undefined ? await db.execute('SELECT COUNT(*) AS n FROM leads') : await db.execute({ sql: 'SELECT COUNT(*) AS n FROM leads WHERE title = ?', args: [title] });
		return Number(rows.rows[0]!.n);
	} finally {
		db.close();
	}
}

const types = (submission: Submission) => submission.events.map((event) => event.type);
const last = (submission: Submission) => submission.events.at(-1)!;

/** Staff's view of the live `fataplus` room, as the CRM's pipeline watches it. */
async function watchStaffRoom(): Promise<{ events(): LoggedEvent[]; close(): void }> {
	const token = await mintRoomToken({ tenant: 'fataplus' as never, role: 'designer' }, { ttlSeconds: 600 });
	const outcome = await tryUpgrade(`${stack.rooms.url.replace('http', 'ws')}/ws/live/fataplus?token=${token}&v=${LIVE_PROTOCOL_VERSION}`);
	if (!outcome.upgraded) throw new Error(`the fataplus room refused the watcher: ${outcome.status} ${outcome.body}`);
	const socket: RecordedSocket = outcome;
	const messages = () => socket.frames.map((frame) => JSON.parse(String(frame)) as LiveServerMessage);
	await waitFor(() => messages().some((m) => m.type === 'hello'), { message: 'hello from the fataplus room' });
	return { events: () => messages().flatMap((m) => (m.type === 'event' ? [m.event] : [])), close: () => socket.socket.close() };
}

beforeAll(async () => {
	fake = await startFakeAnthropic();
	fake.route(chooseReply);
	gate = newGate();
	stack = await startStack({ webVars: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url } });
	admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
	slow = submit(sampleBrief({ title: 'Plateforme lente [slow]' }), '10.0.0.50');
}, 240_000);

beforeEach(() => resetSubmissionLimit(stack.bknd.dbPath));

afterAll(async () => {
	gate?.release();
	await stack?.stop();
	await fake?.close();
});

describe('INTAKE: the streamed happy path', () => {
	it('INTAKE-1 saved first (before Claude has answered), then progress, then Claude’s analysis stored on the lead; staff see the lead live', async () => {
		const staff = await watchStaffRoom();
		const brief = sampleBrief({ title: 'Suivi des collectes [gated]' });
		let savedWhileClaudeHeld: number | null = null;
		const answer = submit(brief, '10.0.0.1', {
			onEvent: (event) => {
				if (event.type === 'saved') savedWhileClaudeHeld = event.leadId;
			}
		});
		try {
			// Claude holds its answer until released: the visitor already knows the request is saved, and it is in bknd.
			const leadId = await waitFor(() => savedWhileClaudeHeld, { timeout: 30_000, message: 'the saved event while Claude is held' });
			const [pending] = await leadsTitled(brief.title);
			expect(pending).toMatchObject({ id: leadId, status: 'new', source: 'intake', analysis_status: 'pending', email: brief.email });
			expect(pending!.brief).toEqual(brief);
			// ...and the staff room has heard of it already.
			await waitFor(() => staff.events().some((e) => e.entity === 'leads' && e.op === 'insert' && e.row.id === leadId), { timeout: 20_000, message: 'the new lead in the fataplus room' });
			gate.release();

			const submission = await answer;
			expect(submission.status).toBe(200);
			expect(submission.headers.get('cache-control')).toBe('no-store');
			const order = types(submission);
			expect(order[0]).toBe('saved');
			expect(order.at(-1)).toBe('result');
			expect(order.slice(1, -1).every((type) => type === 'progress')).toBe(true);
			const stages = submission.events.flatMap((e) => (e.type === 'progress' ? [e.stage] : []));
			expect(stages).toEqual(['connecting', 'summary', 'category', 'complexity', 'recommended_services', 'phases', 'budget_range_mga', 'risks', 'questions', 'proposal_draft', 'storing']);

			const result = last(submission);
			const expected = sampleClaudeAnalysis();
			expect(result).toMatchObject({ type: 'result', source: 'claude', analysis: { source: 'claude', summary: expected.summary, proposal_draft: expected.proposal_draft, budget_estimate_mga: 4_150_000 } });

			const [stored] = await leadsTitled(brief.title);
			expect(stored).toMatchObject({ analysis_status: 'done', analysis_source: 'claude', proposal_draft: expected.proposal_draft });
			expect(stored!.analysis).toMatchObject({ summary: expected.summary, budget_estimate_mga: 4_150_000, fit: 'agritech', source: 'claude' });
			await waitFor(() => staff.events().some((e) => e.entity === 'leads' && e.op === 'update' && e.row.id === leadId && e.row.analysis_summary === expected.summary), {
				timeout: 20_000,
				message: 'the analysed lead in the fataplus room'
			});
			// The event alone is enough for the live pipeline card and the staff dashboard's pipeline value.
			const analysed = staff.events().find((e) => e.entity === 'leads' && e.op === 'update' && e.row.id === leadId && e.row.analysis_summary === expected.summary);
			expect(analysed!.row).toMatchObject({ estimate_mga: 4_150_000, analysis_status: 'done', analysis_source: 'claude', has_analysis: true, industry: brief.industry });
			expect(analysed!.row).not.toHaveProperty('proposal_draft');
			expect(analysed!.row).not.toHaveProperty('brief');

			// What Claude was asked: the brief as data, with the key and model from the web app's env.
			const [request] = requestsFor(brief.title);
			expect(apiKeyOf(request!)).toBe('test-key');
			expect(request!.body.model).toBe('claude-sonnet-5-5');
			expect(request!.body.system).toMatch(/jamais une instruction/);
			expect(briefOf(request!)).toEqual(brief);
		} finally {
			staff.close();
		}
	});
});

describe('INTAKE: Claude failing never loses the lead nor the visitor’s analysis', () => {
	it('INTAKE-2 429 storm, 500s then an answer, malformed twice: the lead is kept and analysed in every case', async () => {
		const cases = [
			{ title: 'Boutique en ligne [429]', ip: '10.0.0.2', source: 'offline', requests: 1 },
			{ title: 'Portail santé [500]', ip: '10.0.0.3', source: 'claude', requests: 3 },
			{ title: 'Application scolaire [malformed]', ip: '10.0.0.4', source: 'offline', requests: 2 }
		] as const;
		const submissions = await Promise.all(cases.map((c) => submit(sampleBrief({ title: c.title }), c.ip)));
		for (const [index, c] of cases.entries()) {
			const submission = submissions[index]!;
			expect(submission.status, c.title).toBe(200);
			expect(types(submission)[0]).toBe('saved');
			expect(last(submission), c.title).toMatchObject({ type: 'result', source: c.source, analysis: { source: c.source } });
			expect(requestsFor(c.title), c.title).toHaveLength(c.requests);
			const leads = await leadsTitled(c.title);
			expect(leads, c.title).toHaveLength(1);
			expect(leads[0]).toMatchObject({ id: (submission.events[0] as { leadId: number }).leadId, analysis_status: 'done', analysis_source: c.source });
			expect(leads[0]!.analysis.summary).toBe((last(submission) as { analysis: { summary: string } }).analysis.summary);
		}
		// The storm was not waited out: retry-after (120 s) is past the time limit, so the offline analysis came at once.
		expect(submissions[0]!.at.at(-1)! - submissions[0]!.at[0]!).toBeLessThan(10_000);
	});
});

describe('INTAKE: refusals store nothing', () => {
	it('INTAKE-3 an invalid form is refused with French messages per field; nothing is stored and Claude is not asked', async () => {
		const before = await leadCount();
		const requests = fake.requests.length;
		const invalid = { ...sampleBrief({ title: 'Ok', email: 'pas-une-adresse', problem: 'Trop court' }), consent: false, industry: 'casino' };
		const { status, json } = await submit(invalid, '10.0.0.5');
		expect(status).toBe(400);
		expect(json.error).toBe('Le formulaire contient des erreurs : corrigez les champs signalés. Vos saisies sont conservées.');
		expect(json.errors).toEqual({
			title: 'Au moins 3 caractères.',
			email: 'Saisissez une adresse e-mail valide (ex. nom@domaine.mg).',
			problem: 'Au moins 20 caractères.',
			industry: 'Choisissez une des options proposées.',
			consent: 'Votre accord est nécessaire pour envoyer ce formulaire.'
		});
		expect(await leadCount()).toBe(before);
		expect(fake.requests.length).toBe(requests);
	});

	it('INTAKE-4 a filled honeypot gets an answer like a success, and nothing reaches bknd', async () => {
		const before = await leadCount();
		const brief = sampleBrief({ title: 'Offre irrésistible de robot' });
		const submission = await submit({ ...brief, website: 'https://spam.example' }, '10.0.0.6');
		expect(submission.status).toBe(200);
		expect(types(submission)[0]).toBe('saved');
		expect(last(submission)).toMatchObject({ type: 'result', source: 'offline' });
		expect(await leadsTitled(brief.title)).toEqual([]);
		expect(await leadCount()).toBe(before);
		expect(requestsFor(brief.title)).toHaveLength(0);
	});

	it('INTAKE-5 the 6th submission from one address in 10 minutes is refused in French (429); the five before are kept', async () => {
		for (let n = 1; n <= 5; n++) {
			const submission = await submit(sampleBrief({ title: `Demande répétée ${n}` }), '10.0.0.7');
			expect(last(submission), `submission ${n}`).toMatchObject({ type: 'result' });
		}
		const before = await leadCount();
		const sixth = await submit(sampleBrief({ title: 'Demande répétée 6' }), '10.0.0.7');
		expect(sixth.status).toBe(429);
		expect(sixth.json.error).toBe('Trop d’envois depuis votre connexion. Réessayez dans 10 minutes.');
		expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(500);
		expect(await leadCount()).toBe(before);
		expect(await leadsTitled('Demande répétée 6')).toEqual([]);
		// Another address is not affected: bknd/routes/intake.test.ts (INTAKE-BKND-4); here every caller is 127.0.0.1.
	});

	it('INTAKE-6 not JSON (400) or from another site (403): refused in French, nothing stored', async () => {
		const before = await leadCount();
		const garbage = await submit('{"title": ', '10.0.0.9');
		expect(garbage.status).toBe(400);
		expect(garbage.json.error).toBe('La demande est illisible : rechargez la page et réessayez. Vos réponses sont conservées.');
		const foreign = await submit(sampleBrief({ title: 'Depuis un autre site' }), '10.0.0.9', { headers: { origin: 'https://evil.example' } });
		expect(foreign.status).toBe(403);
		expect(foreign.json.error).toBe('Cette demande doit être envoyée depuis le site Fataplus.');
		expect(await leadCount()).toBe(before);
		expect(requestsFor('Depuis un autre site')).toHaveLength(0);
	});
});

describe('INTAKE: time limit, bknd down, oversized body', () => {
	it('INTAKE-7 Claude slower than the 30 s limit: the visitor gets the offline analysis, stored on the lead saved at once', async () => {
		const submission = await slow;
		expect(submission.status).toBe(200);
		expect(last(submission)).toMatchObject({ type: 'result', source: 'offline' });
		const elapsed = submission.at.at(-1)! - submission.at[0]!;
		expect(elapsed).toBeGreaterThan(29_000);
		expect(elapsed).toBeLessThan(45_000);
		const [lead] = await leadsTitled('Plateforme lente [slow]');
		expect(lead).toMatchObject({ analysis_status: 'done', analysis_source: 'offline' });
		// The stalled request to Claude was given up, not left open.
		expect(requestsFor('Plateforme lente [slow]')).toHaveLength(1);
		await waitFor(() => requestsFor('Plateforme lente [slow]')[0]!.aborted, { message: 'the stalled Claude request to be closed' });
	}, 60_000);

	it('INTAKE-8 bknd unreachable: a clear French 503, no saved event, Claude not asked, and no lead half-made', async () => {
		const before = await leadCount();
		await stack.bknd.stop();
		const title = 'Demande pendant la panne';
		const submission = await submit(sampleBrief({ title }), '10.0.0.10');
		expect(submission.status).toBe(503);
		expect(submission.json.error).toBe('Le service de données est injoignable pour le moment : rien n’a été enregistré. Vos saisies sont conservées, réessayez dans quelques instants.');
		expect(submission.events).toEqual([]);
		expect(requestsFor(title)).toHaveLength(0);
		// Read bknd's database file directly (bknd is down): the leads are those there were before, none for this title.
		expect(await leadsInFile()).toBe(before);
		expect(await leadsInFile(title)).toBe(0);
	});

	// Last on purpose: wrangler dev's local proxy (not Cloudflare) fails the request that FOLLOWS one whose body
	// the worker refused unread ("Your worker restarted mid-request", 503); nothing follows this one.
	it('INTAKE-9 over 64 KiB: refused in French (413) before anything is read or stored', async () => {
		const title = 'Formulaire énorme';
		const huge = await submit({ ...sampleBrief({ title }), problem: 'x'.repeat(70 * 1024) }, '10.0.0.11');
		expect(huge.status).toBe(413);
		expect(huge.json.error).toBe('Le formulaire est trop volumineux : raccourcissez les textes.');
		expect(requestsFor(title)).toHaveLength(0);
		expect(await leadsInFile(title)).toBe(0);
	});
});
