import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CHANNELS } from '../../shared/protocol';
import { awarenessFrame, decodeFrame, stateVectorFrame, updateFrame } from '../../shared/roomFrames';
import { readReview } from '../../shared/review';
import { claimsFor, commandText, GatedStore, join, newRoom, tokenFor } from './testRoom';

const frameAdd = { type: 'frame.add', commandId: 'f1', name: 'Accueil', width: 1440, height: 900 };
const designer = () => claimsFor({ sub: '7', name: 'Hery Rakoto', role: 'designer' });
const client = () => claimsFor({ sub: '9', name: 'Fara Rasoa', role: 'client' });
const partner = (access: 'editor' | 'viewer') => claimsFor({ sub: '5', name: 'Lova Andria', role: 'partner', partnerAccess: { '3': access } });

describe('ReviewRoom', () => {
	it('RR-1 acknowledges a command only once its writes are durable, and stamps the verified author', async () => {
		const store = new GatedStore();
		const room = await newRoom(store);
		const staff = join(room, await designer());
		store.hold();
		const running = room.message(staff.connection, commandText(frameAdd));
		await Promise.resolve();
		expect(staff.socket.last('ack')).toBeUndefined();
		store.release();
		await running;
		expect(staff.socket.last('ack')).toMatchObject({ commandId: 'f1', duplicate: false, created: [{ kind: 'frame' }] });
		const frameId = staff.socket.last('ack')!.created[0]!.id;
		await room.message(staff.connection, commandText({ type: 'thread.create', commandId: 't1', lane: 'client', frameId, anchor: { kind: 'frame' }, body: 'Bonjour', mentions: [] }));
		const view = room.view(staff.connection.actor);
		expect(view.threads[0]!.messages[0]!.author).toMatchObject({ userId: '7', name: 'Hery Rakoto' });
	});

	it('RR-2 refuses a command that carries its own author (forging) with 4400 and changes nothing', async () => {
		const room = await newRoom();
		const staff = join(room, await designer());
		await room.message(staff.connection, commandText({ ...frameAdd, createdBy: { userId: '1', name: 'Admin' } }));
		expect(staff.socket.last('error')).toMatchObject({ code: 4400, commandId: 'f1' });
		expect(room.view(staff.connection.actor).frames).toHaveLength(0);
	});

	it('LANE-1 a client socket never receives one byte of internal content', async () => {
		const room = await newRoom();
		const staff = join(room, await designer());
		const customer = join(room, await client());
		await room.message(staff.connection, commandText(frameAdd));
		const frameId = staff.socket.last('ack')!.created[0]!.id;
		await room.message(staff.connection, commandText({ type: 'thread.create', commandId: 't2', lane: 'internal', frameId, anchor: { kind: 'frame' }, body: 'SECRET-MARGE-INTERNE', mentions: [] }));
		await room.message(staff.connection, commandText({ type: 'version.add', commandId: 'v1', label: 'V-INTERNE-CACHEE', clientVisible: false }));
		const late = join(room, await client());
		for (const socket of [customer.socket, late.socket]) {
			expect(socket.channels().filter((c) => c === CHANNELS.internal || c === CHANNELS.versionNotesInternal)).toEqual([]);
			expect(socket.everything()).not.toContain('SECRET-MARGE-INTERNE');
			expect(socket.everything()).not.toContain('V-INTERNE-CACHEE');
		}
		expect(customer.socket.last('welcome')!.channels).not.toContain('internal');
		// and a client asking for the internal channel is cut off, not served
		await room.message(customer.connection, stateVectorFrame(CHANNELS.internal, new Y.Doc()));
		expect(customer.socket.closed?.code).toBe(4400);
		expect(customer.socket.everything()).not.toContain('SECRET-MARGE-INTERNE');
	});

	it('RR-3 a raw Yjs update to a command-only document is refused and changes nothing', async () => {
		const room = await newRoom();
		const customer = join(room, await client());
		const forged = new Y.Doc();
		forged.getMap('threads').set('x', 'forged thread');
		await room.message(customer.connection, updateFrame(CHANNELS.client, Y.encodeStateAsUpdate(forged)));
		expect(customer.socket.last('error')).toMatchObject({ code: 4403 });
		expect(room.docs.client.getMap('threads').size).toBe(0);
	});

	it('RR-4 a partner viewer cannot write the shared notes; an editor can', async () => {
		const room = await newRoom();
		const viewer = join(room, await partner('viewer'));
		const editor = join(room, await partner('editor'));
		const edit = new Y.Doc();
		edit.getText('notes').insert(0, 'note');
		await room.message(viewer.connection, updateFrame(CHANNELS.notes, Y.encodeStateAsUpdate(edit)));
		expect(viewer.socket.last('error')).toMatchObject({ code: 4403 });
		expect(room.docs.notes.getText('notes').toString()).toBe('');
		await room.message(editor.connection, updateFrame(CHANNELS.notes, Y.encodeStateAsUpdate(edit)));
		expect(room.docs.notes.getText('notes').toString()).toBe('note');
		// the viewer receives the editor's change
		expect(viewer.socket.channels()).toContain(CHANNELS.notes);
	});

	it('RR-5 closes on an oversize frame (4413) and on a malformed binary frame (4400); bad JSON only gets an error', async () => {
		const room = await newRoom();
		const a = join(room, await designer());
		await room.message(a.connection, 'not json');
		expect(a.socket.last('error')).toMatchObject({ code: 4400 });
		expect(a.socket.closed).toBeNull();
		await room.message(a.connection, JSON.stringify({ type: 'command', command: { type: 'thread.create', commandId: 'big', lane: 'client', frameId: 'x', anchor: { kind: 'frame' }, body: 'x'.repeat(10_001), mentions: [] } }));
		expect(a.socket.last('error')).toMatchObject({ code: 4400, commandId: 'big' });
		await room.message(a.connection, new Uint8Array([200, 200, 200]));
		expect(a.socket.closed?.code).toBe(4400);
		const b = join(room, await designer());
		await room.message(b.connection, 'x'.repeat(256 * 1024 + 1));
		expect(b.socket.closed?.code).toBe(4413);
		// the room still serves others
		const c = join(room, await designer());
		await room.message(c.connection, commandText(frameAdd));
		expect(c.socket.last('ack')).toBeDefined();
	});

	it('RR-6 allows a burst of 40 commands, then answers 4429 without applying them', async () => {
		let now = 0;
		const room = await newRoom(new GatedStore(), () => now);
		const a = join(room, await designer());
		await Promise.all(Array.from({ length: 60 }, (_, i) => room.message(a.connection, commandText({ ...frameAdd, commandId: `b${i}`, name: `F${i}` }))));
		expect(a.socket.texts.filter((t) => t.type === 'ack')).toHaveLength(40);
		expect(a.socket.texts.filter((t) => t.type === 'error' && t.code === 4429)).toHaveLength(20);
		expect(room.view(a.connection.actor).frames).toHaveLength(40);
		now = 1000; // a second later, 20 more
		await room.message(a.connection, commandText({ ...frameAdd, commandId: 'after' }));
		expect(a.socket.last('ack')).toMatchObject({ commandId: 'after' });
	});

	it('RR-7 presence shows the verified identity, never what the client claims, and ids cannot be hijacked', async () => {
		const room = await newRoom();
		const customer = join(room, await client());
		const staff = join(room, await designer());
		const spoof = new awarenessProtocol.Awareness(new Y.Doc());
		spoof.setLocalState({ user: { userId: '1', name: 'Admin Fataplus', role: 'admin', color: '#000000' }, cursor: { frameId: 'f', x: 0.1, y: 0.2 }, secret: 'x' });
		const frame = awarenessFrame(CHANNELS.notes, awarenessProtocol.encodeAwarenessUpdate(spoof, [spoof.clientID]));
		await room.message(customer.connection, frame);
		const seen = new awarenessProtocol.Awareness(new Y.Doc());
		for (const bytes of staff.socket.binaries) {
			const d = decodeFrame(bytes);
			if (d.kind === 'awareness' && d.channel === CHANNELS.notes) awarenessProtocol.applyAwarenessUpdate(seen, d.update, 'test');
		}
		const state = seen.getStates().get(spoof.clientID);
		expect(state).toEqual({ user: { userId: '9', name: 'Fara Rasoa', role: 'client', color: expect.stringMatching(/^#/) }, cursor: { frameId: 'f', x: 0.1, y: 0.2 } });
		// the staff member replays the client's awareness id: refused
		spoof.setLocalState({ cursor: null });
		const before = staff.socket.binaries.length + customer.socket.binaries.length;
		await room.message(staff.connection, awarenessFrame(CHANNELS.notes, awarenessProtocol.encodeAwarenessUpdate(spoof, [spoof.clientID])));
		expect(staff.socket.binaries.length + customer.socket.binaries.length).toBe(before);
	});

	it('RR-8 closes a socket whose token expired (4401), and keeps one that renewed in time', async () => {
		let now = Date.now();
		const room = await newRoom(new GatedStore(), () => now);
		const stale = join(room, await claimsFor({ sub: '7' }, 30));
		const renewing = join(room, await claimsFor({ sub: '8', name: 'Ny Aina' }, 30));
		await room.message(renewing.connection, JSON.stringify({ type: 'auth', token: await tokenFor({ sub: '8', name: 'Ny Aina' }) }));
		expect(renewing.socket.last('auth-ok')).toBeDefined();
		now += 31_000;
		room.expire();
		expect(stale.socket.closed?.code).toBe(4401);
		expect(renewing.socket.closed).toBeNull();
	});

	it('RR-9 refuses a renewal for another user, or that changes what the socket may read', async () => {
		const room = await newRoom();
		const p = join(room, await partner('editor'));
		await room.message(p.connection, JSON.stringify({ type: 'auth', token: await tokenFor({ sub: '6', role: 'partner', partnerAccess: { '3': 'editor' } }) }));
		expect(p.socket.last('error')).toMatchObject({ code: 4403 });
		await room.message(p.connection, JSON.stringify({ type: 'auth', token: await tokenFor({ sub: '5', role: 'partner', partnerAccess: { '3': 'viewer' } }) }));
		expect(p.socket.closed?.code).toBe(4401);
	});

	it('RR-10 reloads every acknowledged command from storage', async () => {
		const store = new GatedStore();
		const room = await newRoom(store);
		const a = join(room, await designer());
		for (let i = 0; i < 20; i++) await room.message(a.connection, commandText({ ...frameAdd, commandId: `r${i}`, name: `Écran ${i}` }));
		const reloaded = await newRoom(store);
		expect(readReview({ client: reloaded.docs.client }, a.connection.actor).frames.map((f) => f.name).sort()).toEqual(
			readReview({ client: room.docs.client }, a.connection.actor).frames.map((f) => f.name).sort()
		);
		expect(reloaded.docs.client.getMap('frames').size).toBe(20);
	});
});


describe('ReviewRoom compaction', () => {
	it('RR-11 compacts every document it persists, the ledger included, when asked', async () => {
		const compacted: string[] = [];
		const store = new GatedStore();
		(store as unknown as { compact: (id: string) => Promise<void> }).compact = async (id: string) => void compacted.push(id);
		const room = await newRoom(store);
		await room.compact();
		expect(compacted.sort()).toEqual(['client', 'internal', 'ledger', 'notes', 'versionNotesClient', 'versionNotesInternal']);
	});
});

describe('ReviewRoom broadcasts', () => {
	it('RR-12 sends the effects of commands received in one turn as one frame per socket, and never acks before the effect', async () => {
		const store = new GatedStore();
		const room = await newRoom(store);
		const sender = join(room, await designer());
		const watcher = join(room, await client());
		const before = watcher.socket.binaries.length;
		store.hold();
		const running = Array.from({ length: 30 }, (_, i) => room.message(sender.connection, commandText({ ...frameAdd, commandId: `b${i}`, name: `Écran ${i}` })));
		// All 30 commands are applied; their effects go out in one frame once this turn ends, not one each.
		await new Promise((resolve) => setTimeout(resolve, 5));
		expect(watcher.socket.binaries.length - before).toBe(1);
		const doc = new Y.Doc();
		// The connect frames first (the document's state), then the batch.
		for (const frame of watcher.socket.binaries) if (syncPayload(frame, CHANNELS.client)) Y.applyUpdate(doc, syncPayload(frame, CHANNELS.client)!);
		expect(doc.getMap('frames').size).toBe(30);
		expect(sender.socket.last('ack')).toBeUndefined(); // still not durable
		store.release();
		await Promise.all(running);
		expect(sender.socket.texts.filter((t) => t.type === 'ack')).toHaveLength(30);
	});

	it('RR-13 an ack is preceded by its effect even when the ack comes before the broadcast turn ends', async () => {
		const room = await newRoom();
		const sender = join(room, await designer());
		const beforeAck = sender.socket.binaries.length;
		let framesAtAck = -1;
		const send = sender.socket.send.bind(sender.socket);
		sender.socket.send = (data) => {
			if (typeof data === 'string' && data.includes('"ack"')) framesAtAck = sender.socket.binaries.length;
			send(data);
		};
		await room.message(sender.connection, commandText(frameAdd));
		expect(framesAtAck).toBe(beforeAck + 1);
	});
});

/** The update carried by a sync step 2 or update frame on `channel`, if the frame is one. */
function syncPayload(bytes: Uint8Array, channel: number): Uint8Array | null {
	const frame = decodeFrame(bytes);
	return (frame.kind === 'syncStep2' || frame.kind === 'update') && frame.channel === channel ? frame.update : null;
}
