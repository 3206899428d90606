import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { HEARTBEAT } from '../../shared/heartbeat';
import { CHANNELS, DOC_LIMITS, WIRE_LIMITS, Y_MESSAGE, type ServerMessage } from '../../shared/protocol';
import { awarenessFrame, encodeFrame, updateFrame } from '../../shared/roomFrames';
import { awarenessFrameFor, awarenessIdsSeen, claimsFor, commandText, GatedStore, join, newRoom, textInsert } from './testRoom';

const frameAdd = { type: 'frame.add', commandId: 'f1', name: 'Accueil', width: 1440, height: 900 };
const designer = () => claimsFor({ sub: '7', name: 'Hery Rakoto', role: 'designer' });
const client = () => claimsFor({ sub: '9', name: 'Fara Rasoa', role: 'client' });

/** A room whose clock the test moves. */
async function clockedRoom(store = new GatedStore()) {
	const clock = { now: 1_000_000 };
	const logged: unknown[] = [];
	const room = await newRoom(store, () => clock.now, (message, error) => logged.push([message, error]));
	return { room, clock, logged, store };
}

const notesOf = (room: { docs: { notes: Y.Doc } }) => room.docs.notes.getText('notes').toString();
const errors = (texts: ServerMessage[], code: number) => texts.filter((t) => t.type === 'error' && t.code === code);

describe('ReviewRoom rate limits (issue 9)', () => {
	it('HARDEN-RATE-5: 100 commands/s for 3 s ends in 4429; the commands it got in were applied, the others refused', async () => {
		const { room, clock } = await clockedRoom();
		const a = join(room, await designer());
		const start = clock.now;
		let sent = 0;
		while (!a.socket.closed && clock.now - start <= 4_000) {
			await room.message(a.connection, commandText({ ...frameAdd, commandId: `c${sent}`, name: `F${sent}` }));
			sent++;
			clock.now += 10;
		}
		expect(a.socket.closed).toEqual({ code: 4429, reason: 'too many messages' });
		expect(clock.now - start).toBeLessThanOrEqual(3_010);
		const acks = a.socket.texts.filter((t) => t.type === 'ack').length;
		expect(errors(a.socket.texts, 4429).length).toBeGreaterThan(0);
		const b = join(room, await designer());
		expect(room.view(b.connection.actor).frames).toHaveLength(acks);
	});

	it('HARDEN-RATE-6: an honest burst of 60 commands, then quiet, is not closed and works again afterwards', async () => {
		const { room, clock } = await clockedRoom();
		const a = join(room, await designer());
		await Promise.all(Array.from({ length: 60 }, (_, i) => room.message(a.connection, commandText({ ...frameAdd, commandId: `b${i}`, name: `F${i}` }))));
		expect(errors(a.socket.texts, 4429)).toHaveLength(20);
		clock.now += 5_000;
		for (let i = 0; i < 30; i++) await room.message(a.connection, commandText({ ...frameAdd, commandId: `later${i}` }));
		expect(a.socket.closed).toBeNull();
		expect(a.socket.last('ack')).toMatchObject({ commandId: 'later29' });
	});

	it('HARDEN-MSG-1: malformed messages and token renewals count in the same budget; a flood of them is closed with 4429', async () => {
		const { room, clock } = await clockedRoom();
		const a = join(room, await designer());
		for (let i = 0; i < 40; i++) await room.message(a.connection, 'not json');
		expect(errors(a.socket.texts, 4400)).toHaveLength(40);
		// the budget is spent: a renewal and a command are refused now, not answered
		await room.message(a.connection, JSON.stringify({ type: 'auth', token: 'x' }));
		await room.message(a.connection, commandText(frameAdd));
		expect(errors(a.socket.texts, 4429)).toHaveLength(2);
		expect(a.socket.last('error')).toMatchObject({ code: 4429, commandId: 'f1' });
		expect(room.view(a.connection.actor).frames).toHaveLength(0);
		for (let i = 0; i < 1_000 && !a.socket.closed; i++) {
			await room.message(a.connection, i % 2 ? '{"type":"nope"}' : JSON.stringify({ type: 'auth', token: 'y' }));
			clock.now += 1;
		}
		expect(a.socket.closed?.code).toBe(4429);
		expect(a.socket.texts.length).toBeLessThan(40 + 2 + WIRE_LIMITS.overLimitRefusals + 5);
	});

	it('HEARTBEAT-1: a ping gets a pong and changes nothing; pings count in the message budget, so a flood of them is refused then closed', async () => {
		const { room, clock } = await clockedRoom();
		const a = join(room, await designer());
		await room.message(a.connection, HEARTBEAT.ping);
		expect(a.socket.pongs).toBe(1);
		expect(a.socket.closed).toBeNull();
		expect(errors(a.socket.texts, 4400)).toHaveLength(0);
		for (let i = 0; i < 39; i++) await room.message(a.connection, HEARTBEAT.ping);
		expect(a.socket.pongs).toBe(40);
		await room.message(a.connection, HEARTBEAT.ping);
		expect(a.socket.pongs).toBe(40);
		expect(errors(a.socket.texts, 4429)).toHaveLength(1);
		for (let i = 0; i < 1_000 && !a.socket.closed; i++) {
			await room.message(a.connection, HEARTBEAT.ping);
			clock.now += 1;
		}
		expect(a.socket.closed?.code).toBe(4429);
	});
});

describe('ReviewRoom frames (issue 9)', () => {
	it('HARDEN-FRAME-1: a text frame is measured in UTF-8 bytes: 256 KiB of bytes in fewer UTF-16 units closes with 4413', async () => {
		const { room } = await clockedRoom();
		const a = join(room, await designer());
		const units = WIRE_LIMITS.frameBytes / 2 + 1; // 'é' is 2 bytes: just over the limit in bytes, half of it in units
		await room.message(a.connection, JSON.stringify({ type: 'auth', token: 'é'.repeat(units) }));
		expect(a.socket.closed?.code).toBe(4413);
		const b = join(room, await designer());
		await room.message(b.connection, JSON.stringify({ type: 'auth', token: '😀'.repeat(WIRE_LIMITS.frameBytes / 4) }));
		expect(b.socket.closed?.code).toBe(4413);
		// just under the limit in bytes: only an error for the message itself
		const c = join(room, await designer());
		await room.message(c.connection, JSON.stringify({ type: 'auth', token: 'é'.repeat(WIRE_LIMITS.frameBytes / 2 - 100) }));
		expect(c.socket.closed).toBeNull();
		expect(c.socket.last('error')).toMatchObject({ code: 4400 });
	});

	it('HARDEN-YJS-GARBAGE-1: a garbage Yjs update, state vector or presence closes with 4400, logs nothing, changes nothing', async () => {
		const { room, logged, store } = await clockedRoom();
		const writesBefore = store.writes;
		const garbage = [
			updateFrame(CHANNELS.notes, new Uint8Array([1, 200, 200, 200, 7, 7, 7])),
			// a sync step 1 whose state vector is garbage
			encodeFrame(CHANNELS.notes, Y_MESSAGE.sync, (e) => {
				encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
				encoding.writeVarUint8Array(e, new Uint8Array([5, 255, 255, 255]));
			}),
			awarenessFrame(CHANNELS.notes, new Uint8Array([1, 3, 1, 50, 65]))
		];
		for (const frame of garbage) {
			const a = join(room, await designer());
			await room.message(a.connection, frame);
			expect(a.socket.closed?.code).toBe(4400);
		}
		expect(logged).toEqual([]);
		expect(store.writes).toBe(writesBefore);
		expect(notesOf(room)).toBe('');
	});
});

describe('ReviewRoom notes limits (issue 9)', () => {
	it('HARDEN-NOTES-1: a notes flood is closed with 4429 once its bytes pass the budget; what came before it stays', async () => {
		const { room, clock } = await clockedRoom();
		const a = join(room, await designer());
		const chunk = 32 * 1024;
		let sent = 0;
		while (!a.socket.closed && sent < 100) {
			await room.message(a.connection, updateFrame(CHANNELS.notes, textInsert(String(sent % 10).repeat(chunk))));
			sent++;
			clock.now += 50; // 640 KiB/s, twenty times the budget
		}
		expect(a.socket.closed).toMatchObject({ code: 4429 });
		const accepted = notesOf(room).length;
		expect(accepted).toBeLessThanOrEqual(WIRE_LIMITS.yjsBurstBytes + (sent * 50 * WIRE_LIMITS.yjsBytesPerSecond) / 1000);
		expect(accepted).toBeGreaterThanOrEqual(WIRE_LIMITS.yjsBurstBytes - chunk);
		expect(sent).toBeLessThan(15);
	});

	it('HARDEN-NOTES-2: past the cap an update is refused with 4413 and the document is unchanged: not applied, stored or broadcast', async () => {
		const { room, clock, store } = await clockedRoom();
		const watcher = join(room, await client());
		const piece = 200 * 1024;
		for (let i = 0; i < 2; i++) {
			const writer = join(room, await designer());
			await room.message(writer.connection, updateFrame(CHANNELS.notes, textInsert(`${i}`.repeat(piece))));
			expect(writer.socket.last('error')).toBeUndefined();
		}
		const full = Y.encodeStateAsUpdate(room.docs.notes);
		const writes = store.writes;
		const frames = watcher.socket.binaries.length;
		const late = join(room, await designer());
		clock.now += 60_000;
		await room.message(late.connection, updateFrame(CHANNELS.notes, textInsert('REFUSED-'.repeat(DOC_LIMITS.notesBytes / 8 - piece / 4))));
		expect(late.socket.last('error')).toMatchObject({ code: 4413, message: expect.stringContaining('shared notes are full') });
		expect(late.socket.closed).toBeNull();
		expect(Buffer.from(Y.encodeStateAsUpdate(room.docs.notes)).equals(Buffer.from(full))).toBe(true);
		expect(store.writes).toBe(writes);
		expect(watcher.socket.binaries.length).toBe(frames);
		expect(notesOf(room)).not.toContain('REFUSED');
		// what a joiner downloads stays under the cap, and a small edit that fits still goes in
		expect(full.byteLength).toBeLessThanOrEqual(DOC_LIMITS.notesBytes);
		await room.message(late.connection, updateFrame(CHANNELS.notes, textInsert('fits')));
		expect(notesOf(room)).toContain('fits');
	});

	it('HARDEN-NOTES-3: a full document still accepts deletions, and takes new text once there is room again', async () => {
		const { room, clock } = await clockedRoom();
		const writer = join(room, await designer());
		const local = new Y.Doc();
		local.on('update', (update: Uint8Array) => void room.message(writer.connection, updateFrame(CHANNELS.notes, update)));
		local.getText('notes').insert(0, 'a'.repeat(250 * 1024));
		clock.now += 10_000;
		local.getText('notes').insert(0, 'b'.repeat(250 * 1024));
		// Filled to the last bytes by independent small inserts, until even one character is refused.
		for (const size of [4_096, 512, 64, 8, 1]) {
			for (let refused = false; !refused; ) {
				clock.now += 10_000;
				const errorsBefore = errors(writer.socket.texts, 4413).length;
				await room.message(writer.connection, updateFrame(CHANNELS.notes, textInsert('f'.repeat(size))));
				refused = errors(writer.socket.texts, 4413).length > errorsBefore;
			}
		}
		const full = notesOf(room).length;
		// Deleting scattered characters and a long run in one edit: a delete set far larger than the room left.
		clock.now += 10_000;
		const trimmed = new Y.Doc();
		Y.applyUpdate(trimmed, Y.encodeStateAsUpdate(room.docs.notes));
		trimmed.on('update', (update: Uint8Array) => void room.message(writer.connection, updateFrame(CHANNELS.notes, update)));
		trimmed.transact(() => {
			const text = trimmed.getText('notes');
			for (let i = 0; i < 100; i++) text.delete(1_000 + i * 500, 1);
			text.delete(100_000, 200 * 1024);
		});
		expect(notesOf(room).length).toBe(full - 100 - 200 * 1024);
		clock.now += 10_000;
		trimmed.getText('notes').insert(0, 'room again');
		expect(notesOf(room).startsWith('room again')).toBe(true);
	});

	it('HARDEN-NOTES-5: updates whose dependencies never arrive (kept pending by Yjs) count toward the cap too', async () => {
		const { room, clock } = await clockedRoom();
		const a = join(room, await designer());
		const local = new Y.Doc();
		const updates: Uint8Array[] = [];
		local.on('update', (update: Uint8Array) => void updates.push(update));
		local.getText('notes').insert(0, 'never sent');
		for (let i = 0; i < 30; i++) local.getText('notes').insert(local.getText('notes').length, String(i % 10).repeat(30 * 1024));
		for (const update of updates.slice(1)) {
			clock.now += 10_000;
			await room.message(a.connection, updateFrame(CHANNELS.notes, update));
		}
		expect(a.socket.last('error')).toMatchObject({ code: 4413 });
		expect(Y.encodeStateAsUpdate(room.docs.notes).byteLength).toBeLessThanOrEqual(DOC_LIMITS.notesBytes);
	});

	it('HARDEN-NOTES-4: version notes are capped as one document (all versions together)', async () => {
		const { room, clock } = await clockedRoom();
		const a = join(room, await designer());
		const piece = 200 * 1024;
		for (const version of ['v1', 'v2']) {
			clock.now += 10_000;
			await room.message(a.connection, updateFrame(CHANNELS.versionNotesClient, textInsert('n'.repeat(piece), version)));
		}
		clock.now += 10_000;
		await room.message(a.connection, updateFrame(CHANNELS.versionNotesClient, textInsert('x'.repeat(piece), 'v3')));
		expect(a.socket.last('error')).toMatchObject({ code: 4413, message: expect.stringContaining('version notes are full') });
		expect(room.docs.versionNotesClient.getText('v3').length).toBe(0);
		expect(room.docs.versionNotesClient.getText('v2').length).toBe(piece);
	});
});

describe('ReviewRoom presence limits (issue 9)', () => {
	it('HARDEN-PRESENCE-1: a frame claiming thousands of awareness ids closes with 4400 and nothing reaches the others', async () => {
		const { room } = await clockedRoom();
		const watcher = join(room, await client());
		const flooder = join(room, await designer());
		const before = watcher.socket.binaries.length;
		// As many ids as fit in one frame; the adversarial pass sent 50,000 over several.
		const frame = awarenessFrameFor(Array.from({ length: 12_000 }, (_, i): [number, unknown] => [1_000 + i, { typing: true }]));
		expect(frame.byteLength).toBeLessThanOrEqual(WIRE_LIMITS.frameBytes);
		await room.message(flooder.connection, frame);
		expect(flooder.socket.closed).toMatchObject({ code: 4400, reason: expect.stringContaining('12000 ids') });
		expect(watcher.socket.binaries.length).toBe(before);
	});

	it('HARDEN-PRESENCE-2: one connection owns at most a couple of awareness ids; further ids are ignored', async () => {
		const { room, clock } = await clockedRoom();
		const watcher = join(room, await client());
		const a = join(room, await designer());
		for (let id = 500; id < 520; id++) {
			await room.message(a.connection, awarenessFrameFor([[id, { typing: true }]]));
			clock.now += 100;
		}
		expect([...awarenessIdsSeen(watcher.socket)].sort()).toEqual([500, 501].slice(0, WIRE_LIMITS.awarenessIdsPerConnection));
		expect(a.socket.closed).toBeNull();
	});

	it('HARDEN-PRESENCE-3: presence frames past the rate are dropped, and a sender that keeps flooding is closed with 4429', async () => {
		const { room, clock } = await clockedRoom();
		const watcher = join(room, await client());
		const a = join(room, await designer());
		const before = watcher.socket.binaries.length;
		for (let i = 0; i < 200; i++) await room.message(a.connection, awarenessFrameFor([[700, { cursor: { frameId: 'f', x: (i % 100) / 100, y: 0.5 } }]], i + 1));
		expect(watcher.socket.binaries.length - before).toBe(WIRE_LIMITS.awarenessBurst);
		for (let t = 0; t < 5_000 && !a.socket.closed; t += 5) {
			clock.now += 5;
			await room.message(a.connection, awarenessFrameFor([[700, { typing: t % 10 === 0 }]], 1_000 + t));
		}
		expect(a.socket.closed?.code).toBe(4429);
	});
});
