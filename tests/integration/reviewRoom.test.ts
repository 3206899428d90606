import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { startRooms, type RoomsServer } from '../../scripts/lib/rooms';
import { waitFor } from '../../scripts/lib/waitFor';
import { CHANNELS } from '../../shared/protocol';
import { awarenessFrame, updateFrame } from '../../shared/roomFrames';
import { prng } from '../../shared/review/testKit';
import { readReview, type Actor } from '../../shared/review';
import type { RoomClient } from '../../web/src/lib/rooms/RoomClient';
import { cid, createdId, ok } from '../harness/commands';
import { tryUpgrade } from '../harness/rawSocket';
import { mintRoomToken } from '../harness/roomTokens';
import { TEST_ROOM_TOKEN_SECRET } from '../harness/secrets';
import { connectRoomClient } from '../harness/roomClient';

const ROOM = 'ferme-verte.3';
const STAFF = { sub: '7', name: 'Hery Rakoto', role: 'designer' as const, tenant: 'ferme-verte', projects: [3] };
const CLIENT = { sub: '9', name: 'Fara Rasoa', role: 'client' as const, tenant: 'ferme-verte', projects: [3] };
const EDITOR = { sub: '5', name: 'Lova Andria', role: 'partner' as const, tenant: 'ferme-verte', projects: [3], partnerAccess: { '3': 'editor' as const } };
const VIEWER = { ...EDITOR, sub: '6', name: 'Tiana Vue', partnerAccess: { '3': 'viewer' as const } };
const staffActor: Actor = { userId: '7', name: 'Hery Rakoto', role: 'designer', partnerAccess: null };

// The review room on the real rooms worker under wrangler dev. What must never happen: a client socket or HTTP answer
// carrying internal content, a command applied under a forged author, a raw Yjs write to the
// command-only documents, a crash or a changed document from malformed input, an acknowledged
// command missing after kill -9.
describe('review room over the real rooms worker (wrangler dev)', () => {
	let rooms: RoomsServer;
	const open: RoomClient[] = [];
	const join = async (subject: Record<string, unknown>, room = ROOM) => {
		const client = await connectRoomClient(rooms.url, room, () => mintRoomToken(subject as never));
		open.push(client);
		return client;
	};
	const http = async (path: string, init: RequestInit & { subject?: Record<string, unknown> | null } = {}) => {
		const headers = new Headers(init.headers);
		if (init.subject !== null) headers.set('authorization', `Bearer ${await mintRoomToken((init.subject ?? STAFF) as never)}`);
		if (init.body) headers.set('content-type', 'application/json');
		const response = await fetch(`${rooms.url}/ws/project/${ROOM}${path}`, { ...init, headers });
		return { status: response.status, body: (await response.json()) as any };
	};

	beforeAll(async () => {
		rooms = await startRooms({ secret: TEST_ROOM_TOKEN_SECRET });
	}, 90_000);

	afterAll(async () => {
		for (const client of open) client.destroy();
		await rooms?.stop();
	});

	it('applies commands over WebSocket, acknowledges them and shows them live to the others', async () => {
		const staff = await join(STAFF);
		const partner = await join(EDITOR);
		const frame = createdId(await ok(staff, { type: 'frame.add', name: 'Accueil', width: 1440, height: 900 }), 'frame');
		const thread = createdId(await ok(staff, { type: 'thread.create', lane: 'internal', frameId: frame, anchor: { kind: 'point', x: 0.25, y: 0.5 }, body: 'Le logo est trop petit', mentions: ['5'] }), 'thread');
		await waitFor(() => readReview({ client: partner.docs.client, internal: partner.docs.internal }, { ...staffActor, userId: '5', role: 'partner', partnerAccess: 'editor' }).threads.some((t) => t.id === thread), { message: 'the partner to see the thread' });
		await ok(partner, { type: 'thread.reply', threadId: thread, body: 'On agrandit à 48 px', mentions: [] });
		await ok(partner, { type: 'thread.resolve', threadId: thread });
		await waitFor(() => readReview({ client: staff.docs.client, internal: staff.docs.internal }, staffActor).threads.find((t) => t.id === thread)?.status === 'resolved', { message: 'the staff to see it resolved' });
		const seen = readReview({ client: staff.docs.client, internal: staff.docs.internal }, staffActor).threads.find((t) => t.id === thread)!;
		expect(seen.messages.map((m) => [m.author.name, m.body])).toEqual([
			['Hery Rakoto', 'Le logo est trop petit'],
			['Lova Andria', 'On agrandit à 48 px']
		]);
		expect(seen.resolvedBy).toMatchObject({ userId: '5' });
	});

	it('serves the same commands over HTTP with the caller\'s lanes only', async () => {
		const staff = await join(STAFF);
		const frame = createdId(await ok(staff, { type: 'frame.add', name: 'Panier', width: 390, height: 844 }), 'frame');
		const created = await http('/threads', { method: 'POST', body: JSON.stringify({ lane: 'client', frameId: frame, anchor: { kind: 'frame' }, body: 'Merci de valider le panier', mentions: [] }) });
		expect(created.status).toBe(201);
		const threadId = created.body.created.find((c: { kind: string }) => c.kind === 'thread').id;
		await http('/threads', { method: 'POST', body: JSON.stringify({ lane: 'internal', frameId: frame, anchor: { kind: 'frame' }, body: 'HTTP-INTERNE-NE-PAS-MONTRER', mentions: [] }) });
		expect((await http(`/threads/${threadId}/replies`, { method: 'POST', subject: CLIENT, body: JSON.stringify({ body: 'Validé !', mentions: [] }) })).status).toBe(201);
		const asClient = await http(`/threads?frame=${frame}`, { subject: CLIENT });
		expect(asClient.status).toBe(200);
		expect(asClient.body.threads.map((t: { id: string }) => t.id)).toEqual([threadId]);
		expect(JSON.stringify(asClient.body)).not.toContain('HTTP-INTERNE-NE-PAS-MONTRER');
		const asStaff = await http(`/threads?frame=${frame}&status=open`);
		expect(asStaff.body.threads).toHaveLength(2);
		expect((await http(`/threads/${threadId}/resolve`, { method: 'POST', body: '{}' })).status).toBe(201);
		expect((await http(`/threads?frame=${frame}&status=resolved`)).body.threads.map((t: { id: string }) => t.id)).toEqual([threadId]);
		expect((await http(`/threads/${threadId}/reopen`, { method: 'POST', body: '{}' })).status).toBe(201);
		const versions = await http('/versions', { subject: CLIENT });
		expect(versions.status).toBe(200);
		expect(Array.isArray(versions.body.versions)).toBe(true);
	});

	it('answers HTTP errors with the documented codes and changes nothing', async () => {
		const before = (await http('/threads')).body.threads.length;
		expect((await http('/threads', { subject: null })).status).toBe(401);
		expect((await http('/threads', { headers: { authorization: 'Bearer nope' }, subject: null })).status).toBe(401);
		expect((await http('/threads', { subject: { ...STAFF, tenant: 'atelier-sud' } })).status).toBe(403);
		expect((await http('/threads', { subject: { ...STAFF, projects: [4] } })).status).toBe(403);
		expect((await http('/threads', { method: 'POST', body: JSON.stringify({ lane: 'client', frameId: 'x', anchor: { kind: 'frame' }, body: 'x'.repeat(10_001), mentions: [] }) })).status).toBe(400);
		expect((await http('/threads', { method: 'POST', body: 'not json' })).status).toBe(400);
		expect((await http('/threads', { method: 'POST', body: JSON.stringify({ lane: 'client', frameId: 'nope', anchor: { kind: 'frame' }, body: 'x', mentions: [], author: { userId: '1' } }) })).status).toBe(400);
		expect((await http('/threads', { method: 'POST', body: JSON.stringify({ lane: 'client', frameId: 'nope', anchor: { kind: 'frame' }, body: 'x', mentions: [] }) })).status).toBe(404);
		expect((await http('/threads', { method: 'POST', body: JSON.stringify({ text: 'x'.repeat(300 * 1024) }) })).status).toBe(413);
		expect((await http('/nothing-here')).status).toBe(404);
		expect((await http('/threads')).body.threads.length).toBe(before);
	});

	it('LANE-1 a client socket receives no byte of internal content while staff write internal threads', async () => {
		const clientToken = await mintRoomToken(CLIENT);
		const recorder = await tryUpgrade(`${rooms.url.replace('http', 'ws')}/ws/project/${ROOM}?v=1&token=${clientToken}`);
		if (!recorder.upgraded) throw new Error('client refused');
		const staff = await join(STAFF);
		const frame = createdId(await ok(staff, { type: 'frame.add', name: 'Fiche produit', width: 1440, height: 2000 }), 'frame');
		const marker = 'MARGE-SECRETE-42';
		for (let i = 0; i < 5; i++) await ok(staff, { type: 'thread.create', lane: 'internal', frameId: frame, anchor: { kind: 'point', x: 0.1 * i, y: 0.5 }, body: `${marker} n°${i}`, mentions: [] });
		await ok(staff, { type: 'version.add', label: `${marker}-version`, clientVisible: false });
		staff.setPresence({ typing: true });
		const visible = createdId(await ok(staff, { type: 'thread.create', lane: 'client', frameId: frame, anchor: { kind: 'frame' }, body: 'Visible par le client', mentions: [] }), 'thread');
		// Wait until the client's socket has the last (client-lane) write: everything before it was sent too.
		const bytes = () => Buffer.concat(recorder.frames.map((f) => (typeof f === 'string' ? Buffer.from(f) : f)));
		await waitFor(() => bytes().includes(Buffer.from('Visible par le client')), { message: 'the client-lane thread' });
		expect(bytes().includes(Buffer.from(marker))).toBe(false);
		expect(bytes().includes(Buffer.from(visible))).toBe(true);
		recorder.socket.close();
	});

	it('refuses forged authorship, raw Yjs writes and decisions by non-reviewers', async () => {
		const staff = await join(STAFF);
		const customer = await join(CLIENT);
		const forged = await customer.command({ type: 'frame.add', commandId: cid(), name: 'X', width: 1, height: 1, createdBy: { userId: '7' } } as never);
		expect(forged).toMatchObject({ ok: false, code: 4400 });
		const notAllowed = await customer.command({ type: 'frame.add', commandId: cid(), name: 'X', width: 1, height: 1 } as never);
		expect(notAllowed).toMatchObject({ ok: false, code: 4403 });
		// a raw Yjs update pushed into the client lane
		const raw = await tryUpgrade(`${rooms.url.replace('http', 'ws')}/ws/project/${ROOM}?v=1&token=${await mintRoomToken(CLIENT)}`);
		if (!raw.upgraded) throw new Error('refused');
		const doc = new Y.Doc();
		doc.getMap('threads').set('forged', new Y.Map());
		raw.socket.send(updateFrame(CHANNELS.client, Y.encodeStateAsUpdate(doc)));
		await waitFor(() => raw.frames.some((f) => typeof f === 'string' && f.includes('"code":4403')), { message: 'the refusal' });
		expect(staff.docs.client.getMap('threads').has('forged')).toBe(false);
		raw.socket.close();
		// a round with only the staff as reviewer: the client may not decide
		const version = createdId(await ok(staff, { type: 'version.add', label: 'V1', clientVisible: true }), 'version');
		const round = createdId(await ok(staff, { type: 'round.open', versionId: version, reviewers: ['7'], dueDate: '2026-12-15' }), 'round');
		const decision = await customer.command({ type: 'round.decide', commandId: cid(), roundId: round, decision: 'approved' } as never);
		expect(decision).toMatchObject({ ok: false, code: 4403 });
	});

	it('survives 2,000 seeded malformed, truncated and fuzzed frames (hostile presence id lists, garbage Yjs, multi-byte text included) without changing a document', async () => {
		const staff = await join(STAFF);
		const reference = () => Object.fromEntries((['client', 'internal', 'notes'] as const).map((c) => [c, Buffer.from(Y.encodeStateVector(staff.docs[c])).toString('hex')]));
		const before = reference();
		const random = prng(20261126);
		const between = (low: number, high: number) => low + random.int(high - low + 1);
		const valid = [
			JSON.stringify({ type: 'command', command: { type: 'thread.create', commandId: 'fz', lane: 'internal', frameId: 'x', anchor: { kind: 'frame' }, body: 'x', mentions: [] } }),
			JSON.stringify({ type: 'auth', token: 'x' })
		];
		/** An awareness frame (notes channel) listing `count` made-up ids. */
		const presenceOf = (count: number) => {
			const update = encoding.createEncoder();
			encoding.writeVarUint(update, count);
			for (let id = 0; id < count; id++) encoding.writeVarUint(update, 5_000 + id), encoding.writeVarUint(update, 1), encoding.writeVarString(update, '{"typing":true}');
			return Buffer.from(awarenessFrame(CHANNELS.notes, encoding.toUint8Array(update)));
		};
		/** A sync frame whose update is random bytes, or a real update with bytes flipped. */
		const garbageYjs = () => {
			const real = new Y.Doc();
			real.getText('notes').insert(0, 'fuzz');
			const bytes = random.int(2) === 0 ? Buffer.from(Array.from({ length: between(1, 48) }, () => between(0, 255))) : Buffer.from(Y.encodeStateAsUpdate(real));
			for (let flips = between(0, 3); flips > 0; flips--) bytes[between(0, bytes.length - 1)] = between(0, 255);
			return Buffer.from(updateFrame([CHANNELS.notes, CHANNELS.versionNotesClient, CHANNELS.client][between(0, 2)]!, bytes));
		};
		/** Text with multi-byte characters; now and then over 256 KiB in UTF-8 bytes while under it in UTF-16 units. */
		const multiByte = () => {
			const char = ['é', '😀', 'ñ', '中'][between(0, 3)]!;
			const repeat = between(0, 20) === 0 ? Math.ceil((256 * 1024) / Buffer.byteLength(char)) + 1 : between(1, 2_000);
			return JSON.stringify({ type: ['auth', 'command'][between(0, 1)], token: char.repeat(repeat) });
		};
		const frameOf = (i: number): string | Buffer => {
			switch (i % 9) {
				case 0: return Buffer.from(Array.from({ length: between(1, 64) }, () => between(0, 255)));
				case 1: return String(between(0, 2 ** 31));
				case 2: return valid[between(0, 1)]!.slice(0, between(0, 60));
				case 3: { const b = Buffer.from(valid[0]!); b[between(0, b.length - 1)] = between(0, 255); return b.toString('latin1'); }
				case 4: { const b = Buffer.from([between(0, 6), between(0, 3), between(0, 3), ...Array.from({ length: between(0, 40) }, () => between(0, 255))]); return b; }
				case 5: return JSON.stringify({ type: ['command', 'auth', '__proto__', 'x'][between(0, 3)], command: { type: 'frame.add', __proto__: { polluted: true } } });
				case 6: return presenceOf(between(3, 12_000));
				case 7: return garbageYjs();
				default: return multiByte();
			}
		};
		let sent = 0;
		let socket: WebSocket | null = null;
		let wake: (() => void) | null = null;
		const token = await mintRoomToken(VIEWER);
		while (sent < 2_000) {
			if (!socket || socket.readyState !== WebSocket.OPEN) {
				const outcome = await tryUpgrade(`${rooms.url.replace('http', 'ws')}/ws/project/${ROOM}?v=1&token=${token}`);
				if (!outcome.upgraded) throw new Error(`refused ${outcome.status}`);
				socket = outcome.socket;
				// A probe the room always answers (a bad renewal; or, past the message budget, "too many messages"):
				// its answer, or a close, means the burst was handled.
				socket.on('message', (data) => /token refused|too many messages/.test(String(data)) && wake?.());
				socket.on('close', () => wake?.());
			}
			const handled = new Promise<void>((resolve) => (wake = resolve));
			for (let burst = 0; burst < 25 && sent < 2_000 && socket.readyState === WebSocket.OPEN; burst++, sent++) socket.send(frameOf(sent));
			if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'auth', token: 'probe' }));
			await handled;
		}
		socket?.close();
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		// The room still works and nothing changed.
		const probe = await join(STAFF);
		expect(probe.isSynced).toBe(true);
		expect(reference()).toEqual(before);
		await ok(probe, { type: 'frame.add', name: 'Après le fuzz', width: 10, height: 10 });
	}, 120_000);

	it('closes a socket whose token expired without renewal (4401) within seconds', async () => {
		const shortToken = await mintRoomToken(STAFF, { ttlSeconds: 2 });
		const outcome = await tryUpgrade(`${rooms.url.replace('http', 'ws')}/ws/project/${ROOM}?v=1&token=${shortToken}`);
		if (!outcome.upgraded) throw new Error('refused');
		const started = Date.now();
		const code = await new Promise<number>((resolve) => outcome.socket.once('close', (c) => resolve(c)));
		expect(code).toBe(4401);
		expect(Date.now() - started).toBeLessThan(10_000);
	}, 20_000);
});
