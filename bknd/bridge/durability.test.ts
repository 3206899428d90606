import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { rowEventId } from '../../shared/live/events';
import { waitFor } from '../../scripts/lib/waitFor';
import { startTestBknd, tempDbPath, type TestBknd } from '../testApi';
import { DELETE_INTENTS_TABLE } from './bridgeTables';
import { TEST_BRIDGE_SECRET, TestReceiver } from './testReceiver';

// The outbox's promises, proved with the rooms down and bknd restarted: every change arrives, in write order,
// once. Each test boots bknd on its own SQLite file; the receiver stands in for the live rooms.

const temp = tempDbPath();
let t: TestBknd | undefined;
let receiver: TestReceiver | undefined;

afterEach(async () => {
	await t?.stop(true);
	t = undefined;
	await receiver?.down();
	receiver = undefined;
	rmSync(temp.dir, { recursive: true, force: true });
});

afterAll(() => rmSync(temp.dir, { recursive: true, force: true }));

async function boot(dbPath: string, rooms: TestReceiver): Promise<TestBknd> {
	// Backoff capped at 1 s here (5 s by default) only to keep the test short once the receiver is back.
	return startTestBknd({ dbPath, liveRoomsUrl: rooms.url, bridgeSecret: TEST_BRIDGE_SECRET, bridgeTuning: { delivery: { backoffMaxMs: 1_000 } } });
}

/** The ferme-verte project the writes go to. */
async function firstProject(api: TestBknd, token: string): Promise<number> {
	const clients = (await api.call('GET', '/api/data/entity/clients', { token, query: { where: { slug: 'ferme-verte' } } })).body.data as any[];
	const projects = await api.call('GET', '/api/data/entity/projects', { token, query: { where: { clients_id: clients[0].id }, limit: 1 } });
	return projects.body.data[0].id;
}

/** `count` PATCHes of one project, one after the other; the event ids they must produce, in order. */
async function writeTitles(api: TestBknd, token: string, projectId: number, from: number, count: number): Promise<string[]> {
	const ids: string[] = [];
	for (let i = from; i < from + count; i++) {
		const res = await api.call('PATCH', `/api/data/entity/projects/${projectId}`, { token, body: { title: `Suivi des récoltes, version ${i}` } });
		expect(res.status).toBe(200);
		ids.push(rowEventId('projects', projectId, 'update', res.body.data.updated_at));
	}
	return ids;
}

/** Asserts `room` got exactly `expected` (in this order, once each) among its events for those ids' row. */
async function expectExactly(rooms: TestReceiver, room: string, expected: string[]): Promise<void> {
	const wanted = new Set(expected);
	await waitFor(() => rooms.events(room).filter((e) => wanted.has(e.id)).length === expected.length, {
		timeout: 30_000,
		message: `${expected.length} events in room ${room}`
	});
	const received = rooms.events(room).filter((e) => wanted.has(e.id)).map((e) => e.id);
	expect(received).toEqual(expected);
	// Not only de-duplicated by the receiver: each event was sent once (every batch was answered 200 the first time).
	const sent = rooms.deliveries.filter((d) => d.room === room && d.status === 200).flatMap((d) => d.eventIds).filter((id) => wanted.has(id));
	expect(sent).toHaveLength(expected.length);
}

describe('BRIDGE durability', () => {
	it('BRIDGE-10 rooms down for 200 writes, then back: all 200 arrive, in order, exactly once', async () => {
		receiver = await TestReceiver.start();
		await receiver.down();
		t = await boot(temp.dbPath, receiver);
		const admin = await t.login('admin@fata.plus');
		const projectId = await firstProject(t, admin);
		const expected = await writeTitles(t, admin, projectId, 0, 200);
		expect(receiver.deliveries).toHaveLength(0);
		await receiver.up();
		await expectExactly(receiver, 'ferme-verte', expected);
		await expectExactly(receiver, 'fataplus', expected);
	}, 90_000);

	it('BRIDGE-11 a bknd restart in the middle loses nothing: the outbox is resumed at boot', async () => {
		receiver = await TestReceiver.start();
		await receiver.down();
		t = await boot(temp.dbPath, receiver);
		let admin = await t.login('admin@fata.plus');
		const projectId = await firstProject(t, admin);
		const firstHalf = await writeTitles(t, admin, projectId, 0, 100);
		await t.stop(true);

		t = await boot(temp.dbPath, receiver);
		admin = await t.login('admin@fata.plus');
		const secondHalf = await writeTitles(t, admin, projectId, 100, 100);
		await receiver.up();
		await expectExactly(receiver, 'ferme-verte', [...firstHalf, ...secondHalf]);
	}, 90_000);

	it('BRIDGE-12 a delete whose event was lost (crash after the DELETE) is published at the next boot; an intent whose row survived is dropped', async () => {
		receiver = await TestReceiver.start();
		t = await boot(temp.dbPath, receiver);
		const admin = await t.login('admin@fata.plus');
		const made = await t.call('POST', '/api/data/entity/leads', { token: admin, body: [{ title: 'Perdue' }, { title: 'Gardée' }] });
		const [lost, kept] = made.body.data as any[];
		const bridge = t.bknd.bridge!;
		// The middleware's first step of a bulk delete, then the DELETE itself, then a "crash": no after-step.
		await bridge.beforeBulkDelete('leads', { id: { $in: [lost.id, kept.id] } });
		await t.bknd.app.em.connection.kysely.deleteFrom('leads' as never).where('id' as never, '=', lost.id as never).execute();
		await t.stop(true);

		t = await boot(temp.dbPath, receiver);
		const id = rowEventId('leads', lost.id, 'delete', lost.updated_at);
		const event = await waitFor(() => receiver!.events('fataplus').find((e) => e.id === id), { message: 'the delete event' });
		expect(event).toMatchObject({ op: 'delete', entity: 'leads', tenant: null, row: { id: lost.id, title: 'Perdue' } });
		expect(receiver.events('fataplus').some((e) => e.op === 'delete' && e.row.id === kept.id)).toBe(false);
		const left = await t.bknd.app.em.connection.kysely.selectFrom(DELETE_INTENTS_TABLE as never).selectAll().execute();
		expect(left).toEqual([]);
	}, 60_000);
});
