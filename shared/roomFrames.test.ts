import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CHANNELS, Y_MESSAGE } from './protocol';
import { prng } from './review/testKit';
import { awarenessFrame, decodeFrame, encodeFrame, stateVectorFrame, syncStep2Frame, updateFrame } from './roomFrames';

// The one frame codec of the room and its clients. What must never happen: a frame decoded as another kind or
// channel than the one encoded (a step 2 read as an update would leave a client "not synced"; a wrong channel
// would write into another document), or decoding that throws on hostile bytes and takes a room down.

function docWith(text: string): Y.Doc {
	const doc = new Y.Doc();
	doc.getText('notes').insert(0, text);
	return doc;
}

describe('FRAMES: one codec for the room and its clients', () => {
	it('FRAMES-1 every frame decodes to the kind, channel and payload it was encoded with', () => {
		const doc = docWith('Palette validée');
		const update = Y.encodeStateAsUpdate(doc);
		expect(decodeFrame(syncStep2Frame(CHANNELS.client, update))).toEqual({ kind: 'syncStep2', channel: CHANNELS.client, update });
		expect(decodeFrame(updateFrame(CHANNELS.versionNotesInternal, update))).toEqual({ kind: 'update', channel: CHANNELS.versionNotesInternal, update });
		expect(decodeFrame(stateVectorFrame(CHANNELS.notes, doc))).toEqual({ kind: 'syncStep1', channel: CHANNELS.notes, stateVector: Y.encodeStateVector(doc) });
		const presence = new Uint8Array([1, 2, 3]);
		expect(decodeFrame(awarenessFrame(CHANNELS.notes, presence))).toEqual({ kind: 'awareness', channel: CHANNELS.notes, update: presence });
	});

	it('SYNC-FRAME-1: the full-state frame a joiner gets (built with one copy of the state) is the y-protocols sync step 2 of the whole document, byte for byte', () => {
		const doc = new Y.Doc();
		// Over 128 bytes, so the length prefix takes more than one varint byte.
		doc.getText('notes').insert(0, 'Relire la maquette de la page d’accueil. '.repeat(500));
		const state = Y.encodeStateAsUpdate(doc);
		const reference = encodeFrame(3, Y_MESSAGE.sync, (e) => {
			encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
			encoding.writeVarUint8Array(e, state);
		});
		expect(syncStep2Frame(3, state)).toEqual(reference);
		const joiner = new Y.Doc();
		const decoded = decodeFrame(syncStep2Frame(3, state));
		if (decoded.kind !== 'syncStep2') throw new Error(`decoded as ${decoded.kind}`);
		Y.applyUpdate(joiner, decoded.update);
		expect(joiner.getText('notes').toString()).toBe(doc.getText('notes').toString());
	});

	it('FRAMES-2 the bytes are y-websocket’s message behind one channel varuint', () => {
		const update = Y.encodeStateAsUpdate(docWith('x'));
		const frame = updateFrame(CHANNELS.internal, update);
		// [channel 2][sync 0][update 2][length][update…]
		expect([...frame.slice(0, 3)]).toEqual([CHANNELS.internal, Y_MESSAGE.sync, 2]);
		expect(frame.byteLength).toBe(4 + update.byteLength);
	});

	it('FRAMES-3 unknown types, trailing and missing bytes are malformed, never thrown', () => {
		const unknownType = encodeFrame(CHANNELS.notes, 7, () => undefined);
		const unknownSync = encodeFrame(CHANNELS.notes, Y_MESSAGE.sync, (e) => {
			encoding.writeVarUint(e, 9);
			encoding.writeVarUint8Array(e, new Uint8Array([1]));
		});
		const trailing = new Uint8Array([...awarenessFrame(CHANNELS.notes, new Uint8Array([1])), 0]);
		const truncated = updateFrame(CHANNELS.notes, Y.encodeStateAsUpdate(docWith('abc'))).slice(0, 5);
		for (const bytes of [unknownType, unknownSync, trailing, truncated, new Uint8Array()]) expect(decodeFrame(bytes).kind).toBe('malformed');
	});

	it('FRAMES-4 5,000 seeded random and mutated frames: decoding never throws, and what decodes re-encodes to a frame that decodes the same', () => {
		const random = prng(20261207);
		const valid = [updateFrame(CHANNELS.notes, Y.encodeStateAsUpdate(docWith('fuzz'))), awarenessFrame(CHANNELS.notes, new Uint8Array([1, 5, 1, 2, 123, 125])), stateVectorFrame(CHANNELS.client, docWith('y'))];
		for (let i = 0; i < 5_000; i++) {
			const bytes = random.int(2) === 0 ? new Uint8Array(Array.from({ length: random.int(40) }, () => random.int(256))) : Uint8Array.from(valid[random.int(valid.length)]!);
			for (let flips = random.int(3); flips > 0 && bytes.length > 0; flips--) bytes[random.int(bytes.length)] = random.int(256);
			const frame = decodeFrame(bytes);
			if (frame.kind === 'malformed') continue;
			const again =
				frame.kind === 'awareness' ? awarenessFrame(frame.channel, frame.update) : frame.kind === 'update' ? updateFrame(frame.channel, frame.update) : frame.kind === 'syncStep2' ? syncStep2Frame(frame.channel, frame.update) : null;
			if (again) expect(decodeFrame(again)).toEqual(frame);
		}
	});
});
