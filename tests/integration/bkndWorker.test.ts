import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowEventId } from '../../shared/live/events';
import { parseMediaName } from '../../shared/mediaNames';
import { queryLocalD1, startBkndWorker, type BkndWorkerServer } from '../../scripts/lib/bkndWorker';
import { freePort } from '../../scripts/lib/freePort';
import { startRooms, type RoomsServer } from '../../scripts/lib/rooms';
import { bkndLogin, demoIds } from '../harness/bkndApi';
import { Watcher } from '../harness/liveWatcher';
import { solidPng } from '../harness/png';
import { TEST_BKND_JWT_SECRET, TEST_BRIDGE_SECRET, TEST_ROOM_TOKEN_SECRET, TEST_SERVICE_SECRET } from '../harness/secrets';
import { DEMO_PASSWORD, DEMO_USERS } from '../harness/stack';

// bknd as a Cloudflare Worker (bknd/worker.ts) under real `wrangler dev`: local D1 and R2, the demo seed, the
// hardening, and the live bridge delivering to the rooms worker (another `wrangler dev`) from `ctx.waitUntil`
// and from the cron. Rule IDs: WORKER-n (bknd/README.md "The Worker").

let rooms: RoomsServer;
let bknd: BkndWorkerServer;
let roomsPort = 0;
let admin = '';
const ids = { ferme: 0, fermeProject: 0, sudProject: 0 };
const figures: Record<string, string> = {};

const workerVars = (roomsUrl: string): Record<string, string> => ({
	BKND_JWT_SECRET: TEST_BKND_JWT_SECRET,
	BKND_SERVICE_SECRET: TEST_SERVICE_SECRET,
	BRIDGE_SECRET: TEST_BRIDGE_SECRET,
	LIVE_ROOMS_URL: roomsUrl,
	BKND_SEED: '1',
	DEMO_PASSWORD,
	BKND_LOG_LEVEL: 'critical'
});

// One state folder: a restarted rooms worker keeps its rooms' event logs (and their seq numbers).
const roomsState = mkdtempSync(join(tmpdir(), 'fp-worker-rooms-'));
const startLiveRooms = () => startRooms({ port: roomsPort, stateDir: roomsState, secret: TEST_ROOM_TOKEN_SECRET, bridgeSecret: TEST_BRIDGE_SECRET });
const restartBknd = (stateDir: string, port: number) => startBkndWorker({ stateDir, port, vars: workerVars(rooms.url) });

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

beforeAll(async () => {
	roomsPort = await freePort();
	rooms = await startLiveRooms();
	const started = performance.now();
	bknd = await startBkndWorker({ vars: workerVars(rooms.url) });
	figures['cold boot (wrangler dev start + first build + seed on an empty D1)'] = `${Math.round(performance.now() - started)} ms`;
	admin = await bkndLogin(bknd.url, DEMO_USERS.admin);
	Object.assign(ids, await demoIds(bknd.url, admin));
}, 240_000);

/**
 * Starts from a settled outbox (the cron delivers whatever earlier steps left, the seed's rows say), then writes
 * once and returns that write's event as a watcher sees it: the events after it are the test's.
 */
async function settledOpening(progress: number) {
	await bknd.scheduled();
	const before = await patchProject(ids.fermeProject, { progress });
	const probe = await Watcher.open(rooms.url, 'ferme-verte', 'client', { since: 0 });
	const opening = await probe.event(rowEventId('projects', before.id, 'update', before.updated_at));
	probe.close();
	return opening;
}

/** The rooms back, then one cron run: a watcher sees exactly `expected` after `opening`, in order, each once. */
async function expectCronDelivers(opening: { seq: number }, expected: string[]) {
	rooms = await startLiveRooms();
	await bknd.scheduled();
	const watcher = await Watcher.open(rooms.url, 'ferme-verte', 'client', { since: 0 });
	try {
		await watcher.event(expected.at(-1)!);
		expect(watcher.events().filter((e) => e.seq > opening.seq).map((e) => e.id)).toEqual(expected);
	} finally {
		watcher.close();
	}
}

afterAll(async () => {
	await Promise.allSettled([bknd?.stop(), rooms?.stop()]);
	console.log(`bknd worker figures:\n${Object.entries(figures).map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
});

async function call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: any }> {
	const response = await fetch(`${bknd.url}${path}`, {
		method,
		headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await response.text();
	return { status: response.status, json: text ? JSON.parse(text) : null };
}

async function patchProject(id: number, body: Record<string, unknown>): Promise<{ id: number; updated_at: string }> {
	const answer = await call('PATCH', `/api/data/entity/projects/${id}`, admin, body);
	if (answer.status !== 200) throw new Error(`PATCH projects/${id}: ${answer.status} ${JSON.stringify(answer.json)}`);
	return answer.json.data;
}

/** `count` changes of one ferme-verte project, one after the other; the event ids they must produce, in order. */
async function writeChanges(label: string, count: number): Promise<string[]> {
	const expected: string[] = [];
	for (let i = 0; i < count; i++) {
		// The description, not the title: the seed finds its rows by title again at each boot (BKND_SEED=1).
		const row = await patchProject(ids.fermeProject, { description: `Suivi des récoltes, ${label} ${i}` });
		expected.push(rowEventId('projects', row.id, 'update', row.updated_at));
	}
	return expected;
}

describe('WORKER: bknd on workerd, D1 and R2', () => {
	it('WORKER-1 boots and answers /api/system/ping (anonymous callers are refused, as on Node)', async () => {
		expect(await call('GET', '/api/system/ping', admin)).toEqual({ status: 200, json: { pong: true } });
		expect((await call('GET', '/api/system/ping')).status).toBe(403);
	});

	it('WORKER-2 the demo seed is in local D1 and its accounts sign in; a parallel burst of wrong passwords gets 5 × 401, then 429', async () => {
		for (const email of [DEMO_USERS.admin, DEMO_USERS.clientFerme]) expect(await bkndLogin(bknd.url, email)).toMatch(/^ey/);
		const burst = await Promise.all(
			Array.from({ length: 12 }, () => call('POST', '/api/auth/password/login', undefined, { email: DEMO_USERS.partner, password: 'wrong-password' }))
		);
		const statuses = burst.map((answer) => answer.status).sort();
		expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
	});

	it('WORKER-3 tenant isolation: a client token reads its own project, never another tenant’s (404), nor writes', async () => {
		const client = await bkndLogin(bknd.url, DEMO_USERS.clientFerme);
		expect((await call('GET', `/api/data/entity/projects/${ids.fermeProject}`, client)).status).toBe(200);
		expect((await call('GET', `/api/data/entity/projects/${ids.sudProject}`, client)).status).toBe(404);
		const list = await call('GET', '/api/data/entity/projects?limit=1000', client);
		expect(list.json.data.map((p: { clients_id: number }) => p.clients_id)).toEqual(list.json.data.map(() => ids.ferme));
		expect((await call('PATCH', `/api/data/entity/projects/${ids.sudProject}`, client, { title: 'pris' })).status).toBe(403);
		// Registration stays closed (docs/bknd.md hole 1) on this entry too.
		expect((await call('POST', '/api/auth/password/register', undefined, { email: 'x@y.mg', password: 'abcdefgh12', client_id: 2 })).status).toBe(403);
	});

	it('WORKER-4 a staff upload lands in local R2 and reads back byte for byte; traversal names are refused (400)', async () => {
		const png = solidPng(4, 4);
		const form = new FormData();
		form.append('file', new Blob([png], { type: 'image/png' }), '../../évil.png');
		const response = await fetch(`${bknd.url}/api/media/upload?project=${ids.fermeProject}`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
		expect(response.status).toBe(201);
		const { name } = (await response.json()) as { name: string };
		expect(parseMediaName(name)).toMatchObject({ projectId: ids.fermeProject, extension: 'png' });
		const read = await fetch(`${bknd.url}/api/media/file/${name}`, { headers: { authorization: `Bearer ${admin}` } });
		expect(read.status).toBe(200);
		expect(new Uint8Array(await read.arrayBuffer())).toEqual(png);

		for (const path of ['/api/media/file/..%2F..%2Fwrangler.toml', `/api/media/file/..%5C${name}`, '/api/media/upload/..%2Fx.png']) {
			const method = path.includes('upload') ? 'POST' : 'GET';
			expect((await fetch(`${bknd.url}${path}`, { method, headers: { authorization: `Bearer ${admin}` } })).status, path).toBe(400);
		}
	});

	it('WORKER-5 ENVIRONMENT=production refuses BKND_SEED=1: every request gets a clear 500, and nothing is written to D1', async () => {
		const prod = await startBkndWorker({
			vars: { ...workerVars(rooms.url), ENVIRONMENT: 'production', BKND_SEED: '1' }
		});
		try {
			const response = await fetch(`${prod.url}/api/auth/password/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email: DEMO_USERS.admin, password: DEMO_PASSWORD })
			});
			expect(response.status).toBe(500);
			expect(((await response.json()) as { error: string }).error).toMatch(/BKND_SEED is refused in production/);
		} finally {
			await prod.stop();
		}
		expect(await queryLocalD1(prod.stateDir, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\'")).toEqual([]);
		// The same reader sees the seeded dev database, so the empty answer above is not a reader that sees nothing.
		expect((await queryLocalD1(bknd.stateDir, 'SELECT email FROM users WHERE email = ?', DEMO_USERS.admin)).length).toBe(1);
	}, 120_000);

	it('WORKER-6 200 sequential PATCHes (figure: p50/p99)', async () => {
		const times: number[] = [];
		for (let i = 0; i < 200; i++) {
			const started = performance.now();
			await patchProject(ids.sudProject, { progress: i % 100 });
			times.push(performance.now() - started);
		}
		figures['200 sequential PATCH p50 / p99'] = `${percentile(times, 50).toFixed(1)} / ${percentile(times, 99).toFixed(1)} ms`;
		expect(times).toHaveLength(200);
	}, 120_000);
});

describe('WORKER-BRIDGE: bknd worker → rooms worker', () => {
	it('WORKER-BRIDGE-1 each write reaches the tenant’s live room from ctx.waitUntil, in order and exactly once (figure: write → room p50/p99)', async () => {
		const watcher = await Watcher.open(rooms.url, 'ferme-verte', 'client');
		try {
			const expected: string[] = [];
			const latencies: number[] = [];
			for (let i = 0; i < 50; i++) {
				const sent = performance.now();
				const row = await patchProject(ids.fermeProject, { progress: i });
				const id = rowEventId('projects', row.id, 'update', row.updated_at);
				expected.push(id);
				await watcher.event(id);
				latencies.push(watcher.arrivals.get(id)! - sent);
			}
			figures['write → live room p50 / p99 (50 writes)'] = `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} ms`;
			expect(watcher.events().map((e) => e.id)).toEqual(expected);
		} finally {
			watcher.close();
		}
	}, 120_000);

	it('WORKER-BRIDGE-2 rooms stopped: writes pile up; once the rooms are back the cron alone delivers them all, in order, once', async () => {
		const opening = await settledOpening(3);

		await rooms.stop();
		const expected = await writeChanges('pendant la panne', 60);
		// No write after the outage: only the Cron Trigger can deliver now.
		await expectCronDelivers(opening, expected);
	}, 180_000);

	it('WORKER-BRIDGE-3 the bknd worker killed (-9) and restarted in the middle of an outage: nothing lost, nothing doubled', async () => {
		const opening = await settledOpening(4);

		await rooms.stop();
		const first = await writeChanges('avant le redémarrage', 30);
		await bknd.process.crash();
		const started = performance.now();
		bknd = await restartBknd(bknd.stateDir, bknd.port);
		figures['restart to first answer (existing D1)'] = `${Math.round(performance.now() - started)} ms`;
		admin = await bkndLogin(bknd.url, DEMO_USERS.admin);
		const second = await writeChanges('après le redémarrage', 30);
		await expectCronDelivers(opening, [...first, ...second]);
	}, 240_000);
});
