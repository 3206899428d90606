import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowEventId, type LiveEvent } from '../../shared/live/events';
import { waitFor } from '../../scripts/lib/waitFor';
import { startTestBknd, type TestBknd } from '../testApi';
import { DELETE_INTENTS_TABLE } from './bridgeTables';
import { nextRevision } from './revision';
import { TEST_BRIDGE_SECRET, TestReceiver } from './testReceiver';

// The bridge against a real bknd (temp SQLite file, free port) and a local receiver that checks signatures as
// shared/live/signature.ts specifies. Rule IDs: BRIDGE-n (bknd/README.md "Live bridge").

let receiver: TestReceiver;
let t: TestBknd;
let admin = '';
let designer = '';
const ids = { ferme: 0, sud: 0, fermeProject: 0 };

beforeAll(async () => {
	receiver = await TestReceiver.start();
	// A shorter attempt timeout (default 10 s) so the hanging-receiver tests see the bridge give up and retry.
	t = await startTestBknd({ liveRoomsUrl: receiver.url, bridgeSecret: TEST_BRIDGE_SECRET, bridgeTuning: { requestTimeoutMs: 3_000 } });
	[admin, designer] = await Promise.all([t.login('admin@fata.plus'), t.login('designer@fata.plus')]);
	const clients = (await t.call('GET', '/api/data/entity/clients', { token: admin })).body.data as any[];
	ids.ferme = clients.find((c) => c.slug === 'ferme-verte').id;
	ids.sud = clients.find((c) => c.slug === 'atelier-sud').id;
	const projects = (await t.call('GET', '/api/data/entity/projects', { token: admin, query: { where: { clients_id: ids.ferme }, limit: 100 } })).body.data as any[];
	ids.fermeProject = projects[0].id;
}, 90_000);

afterAll(async () => {
	await t?.stop();
	await receiver?.down();
});

/** Waits until `room` has accepted an event with this id, and returns it. */
function eventIn(room: string, id: string, timeout = 15_000): Promise<LiveEvent> {
	return waitFor(() => receiver.events(room).find((e) => e.id === id), { timeout, message: `event ${id} in room ${room}` });
}

describe('BRIDGE: bknd changes reach the live rooms', () => {
	it('BRIDGE-1 a PATCH through REST reaches its tenant room and fataplus, signed, named by the row revision', async () => {
		const res = await t.call('PATCH', `/api/data/entity/projects/${ids.fermeProject}`, { token: designer, body: { progress: 77, updated_at: '2000-01-01T00:00:00.000Z' } });
		expect(res.status).toBe(200);
		const row = res.body.data;
		// bknd stamps the revision itself, whatever the caller sent.
		expect(row.updated_at).not.toBe('2000-01-01T00:00:00.000Z');
		const id = rowEventId('projects', row.id, 'update', row.updated_at);
		const event = await eventIn('ferme-verte', id);
		expect(event).toMatchObject({ id, tenant: 'ferme-verte', entity: 'projects', op: 'update', at: row.updated_at });
		expect(event.row).toMatchObject({ id: row.id, clients_id: ids.ferme, progress: 77, title: row.title, updated_at: row.updated_at });
		expect(await eventIn('fataplus', id)).toEqual(event);
		expect(receiver.events('atelier-sud').some((e) => e.id === id)).toBe(false);
		expect(receiver.badSignatures).toBe(0);
	});

	it('BRIDGE-2 internal fields travel to the rooms (they filter per viewer); user emails and password hashes never do', async () => {
		const notes = 'NOTE-INTERNE-marge-a-surveiller';
		const res = await t.call('PATCH', `/api/data/entity/projects/${ids.fermeProject}`, { token: designer, body: { internal_notes: notes, margin_pct: 31 } });
		const event = await eventIn('ferme-verte', rowEventId('projects', res.body.data.id, 'update', res.body.data.updated_at));
		expect(event.row).toMatchObject({ internal_notes: notes, margin_pct: 31 });
		// A lead with an analysis blob: only its summary and fit are published.
		const lead = await t.call('POST', '/api/data/entity/leads', {
			token: designer,
			body: { title: 'Coopérative laitière', email: 'lait@coop.mg', analysis: { summary: 'Suivi de la collecte', fit: 'agritech', secret_scoring: 'SCORE-PRIVE' } }
		});
		const leadEvent = await eventIn('fataplus', rowEventId('leads', lead.body.data.id, 'insert', lead.body.data.updated_at));
		expect(leadEvent).toMatchObject({ tenant: null, op: 'insert' });
		expect(leadEvent.row).toMatchObject({ title: 'Coopérative laitière', analysis_summary: 'Suivi de la collecte', analysis_fit: 'agritech' });
		expect(leadEvent.row).not.toHaveProperty('analysis');
		// Writes to users (an admin may) are never published, and nothing published carries a hash or a user's email.
		await t.bknd.app.module.auth.createUser({ email: 'nouveau@fata.plus', password: 'un-mot-de-passe-long', role: 'designer' } as never);
		await t.call('PATCH', `/api/data/entity/clients/${ids.ferme}`, { token: admin, body: { industry: 'Agritech' } });
		await t.bknd.bridge!.recorder.flush();
		await waitFor(async () => (await t.bknd.bridge!.outbox.pendingCount()) === 0, { message: 'the outbox to drain' });
		const everything = receiver.deliveries.map((d) => d.body).join('\n');
		expect(everything).toContain(notes);
		expect(everything).not.toContain('SCORE-PRIVE');
		for (const secret of ['@fata.plus', 'strategy_value', '$2a$', '$2b$', 'un-mot-de-passe-long']) expect(everything, secret).not.toContain(secret);
		expect(receiver.deliveries.every((d) => !d.body.includes('"entity":"users"'))).toBe(true);
	});

	it('BRIDGE-3 a bulk update (PATCH with a where, no bknd events) is stamped and reaches the rooms', async () => {
		const res = await t.call('PATCH', '/api/data/entity/projects', { token: admin, body: { update: { status: 'on_hold' }, where: { clients_id: ids.sud } } });
		expect(res.status).toBe(200);
		const rows = res.body.data as any[];
		expect(rows.length).toBeGreaterThanOrEqual(2);
		// One revision for the whole statement, fresh, written by the same UPDATE.
		expect(new Set(rows.map((r) => r.updated_at)).size).toBe(1);
		expect(Date.parse(rows[0].updated_at)).toBeGreaterThan(Date.now() - 60_000);
		for (const row of rows) {
			const event = await eventIn('atelier-sud', rowEventId('projects', row.id, 'update', row.updated_at));
			expect(event.row).toMatchObject({ status: 'on_hold', clients_id: ids.sud });
		}
	});

	it('BRIDGE-4 a bulk insert is stamped and published as inserts', async () => {
		const res = await t.call('POST', '/api/data/entity/project_metrics', {
			token: admin,
			body: [
				{ projects_id: ids.fermeProject, key: 'bulk_a', value: 1, date: '2026-03-01' },
				{ projects_id: ids.fermeProject, key: 'bulk_b', value: 2, date: '2026-03-01' }
			]
		});
		expect(res.status).toBe(201);
		for (const row of res.body.data as any[]) {
			expect(row.created_at).toBe(row.updated_at);
			const event = await eventIn('ferme-verte', rowEventId('project_metrics', row.id, 'insert', row.updated_at));
			expect(event).toMatchObject({ tenant: 'ferme-verte', entity: 'project_metrics', op: 'insert' });
		}
	});

	it('BRIDGE-5 single and bulk deletes are published (from intents written before the delete), none left behind', async () => {
		const made = await t.call('POST', '/api/data/entity/project_metrics', {
			token: designer,
			body: [1, 2, 3].map((value) => ({ projects_id: ids.fermeProject, key: 'to_delete', value, date: '2026-04-01' }))
		});
		const [one, ...rest] = made.body.data as any[];
		expect((await t.call('DELETE', `/api/data/entity/project_metrics/${one.id}`, { token: designer })).status).toBe(200);
		const single = await eventIn('ferme-verte', rowEventId('project_metrics', one.id, 'delete', one.updated_at));
		expect(single.row).toMatchObject({ id: one.id, projects_id: ids.fermeProject, key: 'to_delete' });

		const bulk = await t.call('DELETE', '/api/data/entity/project_metrics', { token: designer, body: { key: 'to_delete' } });
		expect(bulk.status).toBe(200);
		for (const row of rest) {
			const event = await eventIn('ferme-verte', rowEventId('project_metrics', row.id, 'delete', row.updated_at));
			expect(event).toMatchObject({ op: 'delete', tenant: 'ferme-verte' });
			expect(await eventIn('fataplus', event.id)).toBeTruthy();
		}
		await t.bknd.bridge!.recorder.flush();
		const left = await t.bknd.app.em.connection.kysely.selectFrom(DELETE_INTENTS_TABLE as never).selectAll().execute();
		expect(left).toEqual([]);
	});

	it('BRIDGE-6 a row committed without reaching the outbox (crash gap) is found by the sweeper, with the listener’s event id', async () => {
		// What a crash between bknd's write and our async listener leaves: a stamped row and no event.
		const revision = nextRevision();
		const inserted = (await t.bknd.app.em.connection.kysely
			.insertInto('project_metrics' as never)
			.values({ projects_id: ids.fermeProject, key: 'swept', value: 5, date: '2026-05-01', created_at: revision, updated_at: revision } as never)
			.returning('id' as never)
			.executeTakeFirstOrThrow()) as { id: number };
		// No request, no bulk write: only the periodic sweep can find it.
		const event = await eventIn('ferme-verte', rowEventId('project_metrics', inserted.id, 'insert', revision), 15_000);
		expect(event.row).toMatchObject({ key: 'swept', value: 5, projects_id: ids.fermeProject });
	});

	it('BRIDGE-7 a write returns promptly while the rooms hang, and its event arrives once they answer', async () => {
		receiver.mode = 'hang';
		const hungBefore = receiver.deliveries.filter((d) => d.status === 0).length;
		const timings: number[] = [];
		let last: any;
		for (let i = 0; i < 5; i++) {
			const started = performance.now();
			last = await t.call('PATCH', `/api/data/entity/projects/${ids.fermeProject}`, { token: designer, body: { progress: 10 + i } });
			timings.push(performance.now() - started);
			expect(last.status).toBe(200);
		}
		// The bridge did try (and is stuck on a hanging request), yet no write waited for it.
		await waitFor(() => receiver.deliveries.filter((d) => d.status === 0).length > hungBefore, { message: 'a hanging delivery' });
		expect(Math.max(...timings)).toBeLessThan(1_500);
		receiver.mode = 'up';
		await eventIn('ferme-verte', rowEventId('projects', ids.fermeProject, 'update', last.body.data.updated_at));
	});

	it('BRIDGE-8 an event the room refuses (400) is set aside and logged; the events around it still arrive, in order', async () => {
		// Deliveries stall while the receiver hangs, so the three events are still queued when one becomes refused.
		receiver.mode = 'hang';
		const written = [];
		for (const progress of [41, 42, 43]) {
			written.push((await t.call('PATCH', `/api/data/entity/projects/${ids.fermeProject}`, { token: designer, body: { progress } })).body.data);
		}
		const [before, refused, after] = written.map((row) => rowEventId('projects', row.id, 'update', row.updated_at)) as [string, string, string];
		receiver.refuseIds.add(refused);
		receiver.mode = 'up';
		await eventIn('ferme-verte', after);
		const room = receiver.events('ferme-verte').map((e) => e.id);
		expect(room).toContain(before);
		expect(room).not.toContain(refused);
		expect(room.indexOf(before)).toBeLessThan(room.indexOf(after));
		expect(receiver.deliveries.some((d) => d.status === 400 && d.eventIds.includes(refused))).toBe(true);
	});
});
