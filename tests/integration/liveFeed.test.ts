import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DELIVERY_LIMITS, type DeliveryAnswer } from '../../shared/live/delivery';
import type { LiveEvent } from '../../shared/live/events';
import { signedHeaders } from '../../shared/live/signedMessage';
import { LIVE_LOG_KEEP, type LiveServerMessage } from '../../shared/live/wire';
import { startRooms, type RoomsServer } from '../../scripts/lib/rooms';
import { waitFor } from '../../scripts/lib/waitFor';
import { createdId, ok } from '../harness/commands';
import { tryUpgrade } from '../harness/rawSocket';
import { connectRoomClient } from '../harness/roomClient';
import { mintRoomToken } from '../harness/roomTokens';
import { TEST_BRIDGE_SECRET, TEST_ROOM_TOKEN_SECRET } from '../harness/secrets';

// The live feed over the real rooms worker (in workerd): signed deliveries in, an ordered log, and per-watcher filtering out.
// Rule IDs (LIVE-n) are quoted from the issue's requirements; each test uses its own rooms.

let rooms: RoomsServer;

interface Watcher {
	socket: WebSocket;
	messages(): LiveServerMessage[];
	/** Events received, in order. */
	events(): Array<Extract<LiveServerMessage, { type: 'event' }>>;
	seqs(): number[];
	/** The close code the room sent (see closeCode). */
	closed: Promise<number>;
	text(): string;
}

/** Opens a watcher socket that records every frame from its first moment (`since` omitted = from now). */
async function watch(room: string, token: string, since?: number): Promise<Watcher> {
	const query = `v=1&token=${token}${since === undefined ? '' : `&since=${since}`}`;
	const outcome = await tryUpgrade(`${rooms.url.replace('http', 'ws')}/ws/live/${room}?${query}`);
	if (!outcome.upgraded) throw new Error(`watcher refused: ${outcome.status} ${outcome.body}`);
	const closed = closeCode(outcome.socket);
	const messages = () => outcome.frames.map((f) => JSON.parse(String(f)) as LiveServerMessage);
	const events = () => messages().filter((m): m is Extract<LiveServerMessage, { type: 'event' }> => m.type === 'event');
	return { socket: outcome.socket, messages, events, seqs: () => events().map((e) => e.seq), closed, text: () => outcome.frames.join('\n') };
}

/**
 * The close code the room sent, as soon as its close frame arrives. workerd (measured under partykit dev) closes the TCP
 * connection of a hibernatable socket closed outside a socket event (here: during a delivery) only ~10 s later;
 * browsers give up waiting after ~2 s, `ws` after 30 s, so the frame is what a client acts on. (`_closeFrameReceived`,
 * `_closeCode` and `_receiver`, the frame parser whose `conclude` event is the close frame, are ws internals.)
 */
function closeCode(socket: WebSocket): Promise<number> {
	const internals = socket as unknown as { _closeFrameReceived: boolean; _closeCode: number; _receiver?: { once(event: 'conclude', listener: (code: number) => void): void } };
	if (internals._closeFrameReceived) return Promise.resolve(internals._closeCode);
	return new Promise((resolve) => {
		socket.once('close', (code) => resolve(code));
		internals._receiver?.once('conclude', (code) => resolve(code));
	});
}

/** Delivers events as bknd's bridge does: signed `POST /ws/live/<room>/events`. */
async function deliver(
	room: string,
	events: unknown[] | string,
	{ secret = TEST_BRIDGE_SECRET, timestamp = Date.now(), deliveryId = `d${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`, headers }: { secret?: string; timestamp?: number; deliveryId?: string; headers?: Record<string, string> } = {}
): Promise<{ status: number; body: DeliveryAnswer & { error?: string } }> {
	const body = typeof events === 'string' ? events : JSON.stringify({ events });
	const response = await fetch(`${rooms.url}/ws/live/${room}/events`, {
		method: 'POST',
		body,
		headers: headers ?? (await signedHeaders(secret, body, { now: timestamp, id: deliveryId }))
	});
	return { status: response.status, body: (await response.json()) as DeliveryAnswer & { error?: string } };
}

async function accepted(room: string, events: LiveEvent[]): Promise<DeliveryAnswer> {
	const answer = await deliver(room, events);
	if (answer.status !== 200) throw new Error(`delivery refused: ${answer.status} ${JSON.stringify(answer.body)}`);
	return answer.body;
}

async function seqOf(room: string, token?: string): Promise<{ status: number; body: unknown }> {
	const response = await fetch(`${rooms.url}/ws/live/${room}/seq`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
	return { status: response.status, body: await response.json() };
}

let counter = 0;
const at = () => new Date().toISOString();
/** A project row change of `tenant`, with an internal field that only staff may ever receive. */
function projectChange(tenant: string, project = 3, extra: LiveEvent['row'] = {}): LiveEvent {
	const n = ++counter;
	return { id: `projects:${project}:update:${n}`, tenant, entity: 'projects', op: 'update', at: at(), row: { id: project, clients_id: 1, title: `Suivi ${n}`, internal_notes: 'MARGE-SECRETE', ...extra } };
}
const many = (tenant: string, count: number) => Array.from({ length: count }, () => projectChange(tenant));
function shareRevoked(tenant: string, projectId: number, partnerId: number): LiveEvent {
	return { id: `project_shares:${projectId}-${partnerId}:update:${++counter}`, tenant, entity: 'project_shares', op: 'update', at: at(), row: { id: 50 + projectId, projects_id: projectId, partners_id: partnerId, revoked_at: at() } };
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('live feed over the real rooms worker (workerd)', () => {
	beforeAll(async () => {
		rooms = await startRooms({ secret: TEST_ROOM_TOKEN_SECRET, bridgeSecret: TEST_BRIDGE_SECRET });
	}, 90_000);

	afterAll(async () => {
		await rooms?.stop();
	});

	it('LIVE-1 a signed delivery is stored in order; a watcher with since gets hello, then exactly the events after since, then live ones', async () => {
		const room = 'feed-order';
		expect(await accepted(room, many(room, 5))).toEqual({ accepted: 5, duplicates: 0, seq: 5 });
		const sent = many(room, 3);
		expect(await accepted(room, [...sent, sent[0]!])).toEqual({ accepted: 3, duplicates: 1, seq: 8 });
		const watcher = await watch(room, await mintRoomToken({ tenant: room, role: 'client' }), 3);
		await waitFor(() => watcher.seqs().length === 5, { message: 'the backlog' });
		await accepted(room, many(room, 2));
		await waitFor(() => watcher.seqs().length === 7, { message: 'the live events' });
		const messages = watcher.messages();
		expect(messages[0]).toEqual({ type: 'hello', room, seq: 8 });
		expect(messages.slice(1).map((m) => m.type === 'event' && m.seq)).toEqual(range(4, 10));
		expect(watcher.events().slice(2, 5).map((e) => e.event.id)).toEqual(sent.map((e) => e.id));
		watcher.socket.close();
	});

	it('LIVE-2 a dropped socket resumes with since: together the two sockets saw every event once, with no gap', async () => {
		const room = 'feed-resume';
		const token = await mintRoomToken({ tenant: room, role: 'designer' });
		const first = await watch(room, token, 0);
		let delivered = 0;
		const publishing = (async () => {
			for (let i = 0; i < 40; i++) delivered = (await accepted(room, many(room, 5))).seq;
		})();
		await waitFor(() => first.seqs().length >= 60, { timeout: 30_000, message: 'some events before the drop' });
		first.socket.terminate(); // no close handshake: a network drop, while deliveries keep coming
		// What the client saw before the drop (`ws` may still emit frames it had already read after terminate()).
		const seenBeforeDrop = first.seqs();
		const last = seenBeforeDrop.at(-1)!;
		await waitFor(() => delivered >= last + 20, { timeout: 30_000, message: 'events missed while away' });
		const second = await watch(room, token, last);
		await publishing;
		await waitFor(() => second.seqs().at(-1) === 200, { timeout: 30_000, message: 'the resumed socket to catch up' });
		expect([...seenBeforeDrop, ...second.seqs()]).toEqual(range(1, 200));
		second.socket.close();
	});

	it(`LIVE-3 the log keeps at least ${LIVE_LOG_KEEP} events: since within them is served whole, older (or ahead) gets reset`, { timeout: 180_000 }, async () => {
		const room = 'feed-roll';
		// 22 deliveries of 500 (the most one delivery may hold) roll the log past keep + one pruning batch.
		for (let i = 0; i < 22; i++) await accepted(room, many(room, DELIVERY_LIMITS.maxEvents));
		// Pruning runs after an answer, before the next delivery: this one's answer means it is done.
		expect((await accepted(room, many(room, 1))).seq).toBe(11_001);
		const token = await mintRoomToken({ tenant: room, role: 'client' });
		const tooOld = await watch(room, token, 999);
		const ahead = await watch(room, token, 11_002);
		await waitFor(() => tooOld.messages().length === 2 && ahead.messages().length === 2, { message: 'the resets' });
		expect(tooOld.messages()).toEqual([{ type: 'hello', room, seq: 11_001 }, { type: 'reset', seq: 11_001, reason: 'too-old' }]);
		expect(ahead.messages()[1]).toEqual({ type: 'reset', seq: 11_001, reason: 'ahead' });
		// since = oldest kept - 1 is still whole: 10,001 events, in order, none missing.
		const whole = await watch(room, token, 1_000);
		await waitFor(() => whole.seqs().at(-1) === 11_001, { timeout: 60_000, message: 'the whole kept log' });
		expect(whole.seqs()).toEqual(range(1_001, 11_001));
		// A socket told to reset carries on live after the room's seq.
		await accepted(room, many(room, 1));
		await waitFor(() => tooOld.seqs().length === 1, { message: 'a live event after the reset' });
		expect(tooOld.seqs()).toEqual([11_002]);
		for (const w of [tooOld, ahead, whole]) w.socket.close();
	});

	it('LIVE-4 a client socket never receives internal fields, internal activity, staff-only rows or another tenant’s events', async () => {
		const room = 'ferme-verte';
		const client = await watch(room, await mintRoomToken({ tenant: room, role: 'client', projects: [3] }));
		const staff = await watch(room, await mintRoomToken({ tenant: room, role: 'designer' }));
		const activity = (lane: 'client' | 'internal', summary: string): LiveEvent => ({
			id: `activity:ferme-verte.3:${lane}${++counter}`, tenant: room, entity: 'activity', op: 'insert', at: at(),
			row: { projectId: 3, kind: 'thread.opened', lane, actorName: 'Hery', summary }
		});
		await accepted(room, [
			projectChange(room, 3, { margin_pct: 35, figma_file_key: 'FIGMA-KEY' }),
			{ id: `clients:1:update:${++counter}`, tenant: room, entity: 'clients', op: 'update', at: at(), row: { id: 1, name: 'Ferme Verte', slug: room, contact_email: 'SECRET@ferme.mg' } },
			shareRevoked(room, 9, 7),
			activity('internal', 'INTERNE-A-NE-PAS-VOIR'),
			activity('client', 'Bouton trop petit')
		]);
		await accepted('atelier-sud', [projectChange('atelier-sud', 8, { title: 'AUTRE-TENANT' })]);
		await accepted('fataplus', [{ id: `leads:1:insert:${++counter}`, tenant: null, entity: 'leads', op: 'insert', at: at(), row: { id: 1, title: 'LEAD-SECRET' } }]);
		const sentinel = projectChange(room, 3, { title: 'SENTINEL' });
		const { seq } = await accepted(room, [sentinel]);
		await waitFor(() => client.seqs().at(-1) === seq && staff.seqs().at(-1) === seq, { message: 'the sentinel' });
		expect(client.events().map((e) => e.event.entity)).toEqual(['projects', 'clients', 'activity', 'projects']);
		expect(client.events()[0]!.event.row).toEqual({ id: 3, clients_id: 1, title: expect.any(String) });
		for (const secret of ['MARGE-SECRETE', 'internal_notes', 'margin_pct', 'FIGMA-KEY', 'SECRET@ferme.mg', 'project_shares', 'INTERNE-A-NE-PAS-VOIR', 'AUTRE-TENANT', 'LEAD-SECRET']) {
			expect(client.text()).not.toContain(secret);
		}
		// The staff socket of the same room did receive them: the client's silence is filtering, not absence.
		expect(staff.text()).toContain('MARGE-SECRETE');
		expect(staff.text()).toContain('INTERNE-A-NE-PAS-VOIR');
		client.socket.close();
		staff.socket.close();
	});

	it('LIVE-5 a partner stops receiving a project the moment its share’s revocation arrives; another agency keeps it; a stale token does not bring it back', async () => {
		const room = 'feed-partner';
		const token = await mintRoomToken({ tenant: room, role: 'partner', projects: [3, 4], partnerId: 7 });
		const partner = await watch(room, token);
		const otherAgency = await watch(room, await mintRoomToken({ tenant: room, role: 'partner', projects: [3], partnerId: 8 }));
		await accepted(room, [projectChange(room, 3)]);
		// The revocation and later changes of both projects in one delivery: nothing of project 3 may follow it.
		const { seq } = await accepted(room, [shareRevoked(room, 3, 7), projectChange(room, 3, { title: 'APRES-REVOCATION' }), projectChange(room, 4)]);
		await waitFor(() => partner.seqs().at(-1) === seq && otherAgency.seqs().at(-1) === seq - 1, { message: 'the deliveries' });
		expect(partner.messages().map((m) => (m.type === 'event' ? `project ${m.event.row.id}` : m.type === 'revoked' ? `revoked ${m.projectId}` : m.type))).toEqual(['hello', 'project 3', 'revoked 3', 'project 4']);
		expect(partner.text()).not.toContain('APRES-REVOCATION');
		expect(otherAgency.text()).toContain('APRES-REVOCATION');
		// Reconnecting with the token issued before the revocation (still valid) replays project 4 only.
		const again = await watch(room, token, 0);
		await waitFor(() => again.seqs().at(-1) === seq, { message: 'the replay' });
		expect(again.events().map((e) => e.event.row.id)).toEqual([4]);
		// Losing the last project closes the socket: 4403, nothing to watch here any more.
		await accepted(room, [shareRevoked(room, 4, 7)]);
		expect(await partner.closed).toBe(4403);
		expect(partner.messages().at(-1)).toEqual({ type: 'revoked', projectId: 4 });
		otherAgency.socket.close();
	});

	it('LIVE-6 GET seq answers { seq } to a room token of that room, 401 without one, 403 for another room', async () => {
		const room = 'feed-seq';
		await accepted(room, many(room, 4));
		expect(await seqOf(room, await mintRoomToken({ tenant: room, role: 'client' }))).toEqual({ status: 200, body: { seq: 4 } });
		expect((await seqOf(room)).status).toBe(401);
		expect((await seqOf(room, 'garbage')).status).toBe(401);
		expect((await seqOf(room, await mintRoomToken({ tenant: 'atelier-sud', role: 'client' }))).status).toBe(403);
		expect((await seqOf('fataplus', await mintRoomToken({ tenant: room, role: 'client' }))).status).toBe(403);
	});

	it('LIVE-7 refused deliveries (401 unsigned, wrong key, stale, future; 409 replay; 400 other tenant, bad JSON; 413) change nothing', async () => {
		const room = 'feed-refused';
		const original = { deliveryId: 'replayed-delivery-1', timestamp: Date.now() };
		const events = many(room, 2);
		expect((await deliver(room, events, original)).status).toBe(200);
		const staff = await watch(room, await mintRoomToken({ tenant: room, role: 'designer' }));
		const fresh = () => many(room, 1);
		const cases: Array<[string, Promise<{ status: number }>, number]> = [
			['unsigned', deliver(room, fresh(), { headers: { 'content-type': 'application/json' } }), 401],
			['wrong key', deliver(room, fresh(), { secret: `${TEST_BRIDGE_SECRET}-wrong` }), 401],
			['stale', deliver(room, fresh(), { timestamp: Date.now() - DELIVERY_LIMITS.maxAgeMs - 10_000 }), 401],
			['future', deliver(room, fresh(), { timestamp: Date.now() + DELIVERY_LIMITS.maxAgeMs + 10_000 }), 401],
			['replay', deliver(room, events, original), 409],
			['other tenant', deliver(room, [projectChange('atelier-sud')]), 400],
			['not JSON', deliver(room, '{"events": ['), 400],
			['over 1 MiB', deliver(room, [{ ...projectChange(room), row: { padding: 'x'.repeat(DELIVERY_LIMITS.maxBodyBytes) } }]), 413]
		];
		for (const [name, answer, status] of cases) expect({ name, status: (await answer).status }).toEqual({ name, status });
		expect(await seqOf(room, await mintRoomToken({ tenant: room, role: 'client' }))).toEqual({ status: 200, body: { seq: 2 } });
		// The next accepted event is number 3, and it is the first thing the watcher receives.
		const next = projectChange(room);
		await accepted(room, [next]);
		await waitFor(() => staff.seqs().length === 1, { message: 'the next event' });
		expect(staff.messages().map((m) => m.type)).toEqual(['hello', 'event']);
		expect(staff.events()[0]).toMatchObject({ seq: 3, event: { id: next.id } });
		staff.socket.close();
	});

	it('HARDEN-LIVE-2 a watcher whose token expired is closed with 4401 at its expiry although no event comes, and is sent nothing', async () => {
		const room = 'feed-expiry';
		const issued = Date.now();
		const watcher = await watch(room, await mintRoomToken({ tenant: room, role: 'client' }, { ttlSeconds: 2 }));
		const expiresAt = (Math.floor(issued / 1000) + 2) * 1000;
		let closedAt = 0;
		void watcher.closed.then(() => (closedAt = Date.now()));
		// Nothing is delivered to the room: only its alarm can close the socket, within a couple of seconds of the expiry.
		await waitFor(() => closedAt, { timeout: expiresAt - Date.now() + 2_500, message: 'the close at expiry' });
		expect(await watcher.closed).toBe(4401);
		expect(closedAt).toBeGreaterThanOrEqual(expiresAt);
		expect(watcher.messages().map((m) => m.type)).toEqual(['hello']);
		// A room with no event at all, asleep (hibernated after ~10 s idle) when the token expires: the alarm wakes it.
		const sleepy = 'feed-expiry-asleep';
		const late = await watch(sleepy, await mintRoomToken({ tenant: sleepy, role: 'designer' }, { ttlSeconds: 14 }));
		const lateExpiry = (Math.floor(Date.now() / 1000) + 14) * 1000;
		let lateClosedAt = 0;
		void late.closed.then(() => (lateClosedAt = Date.now()));
		await waitFor(() => lateClosedAt, { timeout: lateExpiry - Date.now() + 2_500, message: 'the close at expiry of a hibernated room' });
		expect(await late.closed).toBe(4401);
		expect(lateClosedAt).toBeGreaterThanOrEqual(lateExpiry - 1_000);
	}, 40_000);

	it('HIBERNATE-1 a watcher keeps receiving events, in order, after its live room was evicted and rebuilt from the attachments', { timeout: 90_000 }, async () => {
		const room = 'feed-hibernate';
		const watcher = await watch(room, await mintRoomToken({ tenant: room, role: 'designer' }), 0);
		const wakes = () => rooms.process.log.split(`[live ${room}] woke from hibernation with 1 open socket(s)`).length - 1;
		let sent = 0;
		// The runtime evicts an idle hibernatable object after about 10 s; a delivery then builds a new one. Deliver
		// one event per poll, spaced beyond that idle time, until an event went through a rebuilt object.
		await waitFor(
			async () => {
				const before = wakes();
				sent = (await accepted(room, many(room, 1))).seq;
				await waitFor(() => watcher.seqs().at(-1) === sent, { message: `event ${sent} to reach the watcher` });
				// The object logs its wake before it answers the delivery; the log reaches us through a pipe.
				return waitFor(() => wakes() > before, { timeout: 1_000, message: 'the wake line' }).catch(() => false);
			},
			{ timeout: 80_000, interval: 12_000, message: 'an event delivered through an evicted and rebuilt live room' }
		);
		expect(watcher.seqs()).toEqual(range(1, sent));
		expect(watcher.messages()[0]).toEqual({ type: 'hello', room, seq: 0 });
		watcher.socket.close();
	});

	it('HARDEN-LIVE-3 a watcher that renews its token on the open socket (auth → auth-ok) stays open past the first expiry and still receives events', async () => {
		const room = 'feed-renewal';
		const subject = { tenant: room, role: 'client' as const, sub: '42' };
		const watcher = await watch(room, await mintRoomToken(subject, { ttlSeconds: 2 }));
		const firstExpiry = (Math.floor(Date.now() / 1000) + 2) * 1000;
		const renewed = await mintRoomToken(subject, { ttlSeconds: 60 });
		watcher.socket.send(JSON.stringify({ type: 'auth', token: renewed }));
		const ok = await waitFor(() => watcher.messages().find((m) => m.type === 'auth-ok'), { message: 'auth-ok' });
		expect(ok).toEqual({ type: 'auth-ok', expiresAt: expect.any(Number) });
		expect(ok.type === 'auth-ok' && ok.expiresAt).toBeGreaterThan(firstExpiry + 50_000);
		let closed = false;
		void watcher.closed.then(() => (closed = true));
		await waitFor(() => Date.now() > firstExpiry + 1_500, { timeout: 5_000, message: 'the first token to be long expired' });
		const { seq } = await accepted(room, many(room, 1));
		await waitFor(() => watcher.seqs().at(-1) === seq, { message: 'the event after the first expiry' });
		expect(closed).toBe(false);
		expect(watcher.socket.readyState).toBe(WebSocket.OPEN);
		watcher.socket.close();
	});

	it('LIVE-9 project rooms publish review activity: a client watcher gets the client-lane thread and never the internal one', async () => {
		const tenant = 'ferme-verte';
		const client = await watch(tenant, await mintRoomToken({ tenant, role: 'client', projects: [12] }));
		const staffTenant = await watch(tenant, await mintRoomToken({ tenant, role: 'designer' }));
		const staff = await watch('fataplus', await mintRoomToken({ tenant: 'fataplus', role: 'admin' }));
		const designer = await connectRoomClient(rooms.url, `${tenant}.12`, await mintRoomToken({ tenant, role: 'designer', projects: [12] }));
		try {
			const frameId = createdId(await ok(designer, { type: 'frame.add', name: 'Accueil', width: 1440, height: 900 }), 'frame');
			await ok(designer, { type: 'thread.create', lane: 'client', frameId, anchor: { kind: 'frame' }, body: 'Le bouton est trop petit', mentions: [] });
			await ok(designer, { type: 'thread.create', lane: 'internal', frameId, anchor: { kind: 'frame' }, body: 'MARGE-INTERNE a revoir', mentions: [] });
			const activities = (w: Watcher) => w.events().filter((e) => e.event.entity === 'activity').map((e) => e.event.row);
			await waitFor(() => activities(staff).length === 2 && activities(staffTenant).length === 2, { timeout: 15_000, message: 'both activities in the staff rooms' });
			expect(activities(staff)).toEqual([
				{ projectId: 12, kind: 'thread.opened', lane: 'client', actorName: 'Hery Rakoto', summary: 'Le bouton est trop petit' },
				{ projectId: 12, kind: 'thread.opened', lane: 'internal', actorName: 'Hery Rakoto', summary: 'MARGE-INTERNE a revoir' }
			]);
			// Everything published to the tenant room before this sentinel has reached the client once the sentinel has.
			const { seq } = await accepted(tenant, [projectChange(tenant, 12, { title: 'SENTINEL' })]);
			await waitFor(() => client.seqs().at(-1) === seq, { message: 'the sentinel' });
			expect(activities(client)).toEqual([{ projectId: 12, kind: 'thread.opened', lane: 'client', actorName: 'Hery Rakoto', summary: 'Le bouton est trop petit' }]);
			expect(client.text()).not.toContain('MARGE-INTERNE');
		} finally {
			designer.destroy();
			for (const w of [client, staffTenant, staff]) w.socket.close();
		}
	});
});
