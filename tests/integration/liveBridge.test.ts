import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowEventId } from '../../shared/live/events';
import { startBknd, type BkndServer } from '../../scripts/lib/bknd';
import { freePort } from '../../scripts/lib/freePort';
import { startRooms, type RoomsServer } from '../../scripts/lib/rooms';
import { bkndLogin, demoIds } from '../harness/bkndApi';
import { Watcher } from '../harness/liveWatcher';
import { TEST_BKND_JWT_SECRET, TEST_BRIDGE_SECRET, TEST_ROOM_TOKEN_SECRET } from '../harness/secrets';
import { DEMO_PASSWORD, DEMO_USERS } from '../harness/stack';

// bknd's live bridge end to end: a real bknd process (bknd/serve.ts) delivers to real live rooms
// (the rooms worker under `wrangler dev`), and dashboards watch those rooms over WebSockets. Rule IDs: BRIDGE-n (bknd/README.md).

let rooms: RoomsServer;
let bknd: BkndServer;
let roomsPort = 0;
const stateDir = mkdtempSync(join(tmpdir(), 'fp-live-bridge-'));
let admin = '';
const ids = { fermeProject: 0, sudProject: 0, ferme: 0 };

function startLiveRooms(): Promise<RoomsServer> {
	return startRooms({ port: roomsPort, stateDir, secret: TEST_ROOM_TOKEN_SECRET, bridgeSecret: TEST_BRIDGE_SECRET });
}

beforeAll(async () => {
	roomsPort = await freePort();
	rooms = await startLiveRooms();
	bknd = await startBknd({ jwtSecret: TEST_BKND_JWT_SECRET, demoPassword: DEMO_PASSWORD, liveRoomsUrl: rooms.url, bridgeSecret: TEST_BRIDGE_SECRET });
	admin = await bkndLogin(bknd.url, DEMO_USERS.admin);
	Object.assign(ids, await demoIds(bknd.url, admin));
}, 180_000);

afterAll(async () => {
	await Promise.allSettled([bknd?.stop(), rooms?.stop()]);
});

async function patchProject(id: number, body: Record<string, unknown>): Promise<{ id: number; updated_at: string }> {
	const response = await fetch(`${bknd.url}/api/data/entity/projects/${id}`, {
		method: 'PATCH',
		headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	if (response.status !== 200) throw new Error(`PATCH projects/${id}: ${response.status} ${await response.text()}`);
	return ((await response.json()) as { data: { id: number; updated_at: string } }).data;
}

/** `count` changes of one ferme-verte project, one after the other; the event ids they must produce, in order. */
async function writeChanges(from: number, count: number): Promise<string[]> {
	const expected: string[] = [];
	for (let i = from; i < from + count; i++) {
		const row = await patchProject(ids.fermeProject, { title: `Suivi des récoltes, révision ${i}` });
		expected.push(rowEventId('projects', row.id, 'update', row.updated_at));
	}
	return expected;
}

describe('BRIDGE end to end: bknd → live rooms → dashboards', () => {
	it('BRIDGE-20 a project PATCH reaches the tenant’s client watchers without internal fields, and staff in fataplus with them', async () => {
		const client = await Watcher.open(rooms.url, 'ferme-verte', 'client');
		const staff = await Watcher.open(rooms.url, 'fataplus', 'designer');
		const otherTenant = await Watcher.open(rooms.url, 'atelier-sud', 'client');
		try {
			const row = await patchProject(ids.fermeProject, { progress: 66, internal_notes: 'NOTE-E2E-INTERNE', margin_pct: 12 });
			const id = rowEventId('projects', row.id, 'update', row.updated_at);

			const seen = await client.event(id);
			expect(seen).toMatchObject({ tenant: 'ferme-verte', entity: 'projects', op: 'update', row: { id: row.id, progress: 66 } });
			expect(seen.row).not.toHaveProperty('internal_notes');
			expect(seen.row).not.toHaveProperty('margin_pct');
			expect(JSON.stringify(client.messages())).not.toContain('NOTE-E2E-INTERNE');

			const staffSeen = await staff.event(id);
			expect(staffSeen.row).toMatchObject({ progress: 66, internal_notes: 'NOTE-E2E-INTERNE', margin_pct: 12 });

			// Another tenant's room: its own change arrives, the ferme-verte one never does.
			const sudRow = await patchProject(ids.sudProject, { progress: 21 });
			await otherTenant.event(rowEventId('projects', sudRow.id, 'update', sudRow.updated_at));
			expect(otherTenant.events().some((e) => e.id === id)).toBe(false);
		} finally {
			for (const w of [client, staff, otherTenant]) w.close();
		}
	}, 60_000);

	it('BRIDGE-21 rooms stopped (then killed -9) while 200 changes are written: a since=0 watcher gets exactly those 200, in order, once', async () => {
		for (const outage of ['stop', 'kill -9'] as const) {
			// A change before and one after the outage bracket it: the room's events between them must be exactly
			// the 200 written meanwhile. Deliveries are in order, so once the closing one is there, all are.
			const before = await patchProject(ids.fermeProject, { progress: 1 });
			const probe = await Watcher.open(rooms.url, 'ferme-verte', 'client', { since: 0 });
			const opening = await probe.event(rowEventId('projects', before.id, 'update', before.updated_at));
			probe.close();

			if (outage === 'stop') await rooms.stop();
			else await rooms.process.crash();
			const expected = await writeChanges(0, 200);
			rooms = await startLiveRooms();
			const after = await patchProject(ids.fermeProject, { progress: 2 });

			const watcher = await Watcher.open(rooms.url, 'ferme-verte', 'client', { since: 0 });
			try {
				const closing = await watcher.event(rowEventId('projects', after.id, 'update', after.updated_at));
				const between = watcher.events().filter((e) => e.seq > opening.seq && e.seq < closing.seq);
				expect(between.map((e) => e.id), outage).toEqual(expected);
				expect(new Set(watcher.events().map((e) => e.id)).size, outage).toBe(watcher.events().length);
			} finally {
				watcher.close();
			}
		}
	}, 300_000);
});
