import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { Y_MESSAGE } from './protocol';

// The binary frames of a project room, written and read here only, by the room and by every client (the app's
// RoomClient, the tests): `[channel varuint][y-protocols message type varuint][payload]`, as y-websocket frames
// one document, with the channel in front so one socket carries several documents (shared/protocol.ts CHANNELS).

/** A frame: `[channel][y-protocols message type][whatever write adds]`. */
export function encodeFrame(channel: number, type: number, write: (encoder: encoding.Encoder) => void): Uint8Array<ArrayBuffer> {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, channel);
	encoding.writeVarUint(encoder, type);
	write(encoder);
	return encoding.toUint8Array(encoder);
}

/** Sync step 2: `state` is what the peer lacks (the whole document when the room sends it unasked on connect). */
export function syncStep2Frame(channel: number, state: Uint8Array): Uint8Array<ArrayBuffer> {
	// The same bytes as writeVarUint8Array, with one copy of the state: a lib0 encoder copies it into its buffers and
	// again when joining them, which showed in profiles of a new client loading 10,000 threads (a 7 MB state).
	const header = encodeFrame(channel, Y_MESSAGE.sync, (e) => {
		encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
		encoding.writeVarUint(e, state.byteLength);
	});
	const frame = new Uint8Array(header.byteLength + state.byteLength);
	frame.set(header);
	frame.set(state, header.byteLength);
	return frame;
}

/** Sync step 1: our state vector, asking the peer for what we lack. */
export function stateVectorFrame(channel: number, doc: Y.Doc): Uint8Array<ArrayBuffer> {
	return encodeFrame(channel, Y_MESSAGE.sync, (e) => syncProtocol.writeSyncStep1(e, doc));
}

/** One document update. */
export function updateFrame(channel: number, update: Uint8Array): Uint8Array<ArrayBuffer> {
	return encodeFrame(channel, Y_MESSAGE.sync, (e) => syncProtocol.writeUpdate(e, update));
}

/** An awareness (presence) update, as `y-protocols/awareness` encodes it. */
export function awarenessFrame(channel: number, update: Uint8Array): Uint8Array<ArrayBuffer> {
	return encodeFrame(channel, Y_MESSAGE.awareness, (e) => encoding.writeVarUint8Array(e, update));
}

/** A decoded frame. Decoding never throws: bad bytes give `{ kind: 'malformed' }`. The channel is not checked here. */
export type RoomFrame =
	| { kind: 'syncStep1'; channel: number; stateVector: Uint8Array }
	| { kind: 'syncStep2'; channel: number; update: Uint8Array }
	| { kind: 'update'; channel: number; update: Uint8Array }
	| { kind: 'awareness'; channel: number; update: Uint8Array }
	| { kind: 'malformed'; reason: string };

export function decodeFrame(data: Uint8Array): RoomFrame {
	try {
		const decoder = decoding.createDecoder(data);
		const channel = decoding.readVarUint(decoder);
		const type = decoding.readVarUint(decoder);
		let frame: RoomFrame;
		if (type === Y_MESSAGE.sync) {
			const syncType = decoding.readVarUint(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			if (syncType === syncProtocol.messageYjsSyncStep1) frame = { kind: 'syncStep1', channel, stateVector: payload };
			else if (syncType === syncProtocol.messageYjsSyncStep2) frame = { kind: 'syncStep2', channel, update: payload };
			else if (syncType === syncProtocol.messageYjsUpdate) frame = { kind: 'update', channel, update: payload };
			else return { kind: 'malformed', reason: `unknown sync message ${syncType}` };
		} else if (type === Y_MESSAGE.awareness) {
			frame = { kind: 'awareness', channel, update: decoding.readVarUint8Array(decoder) };
		} else {
			return { kind: 'malformed', reason: `unknown message type ${type}` };
		}
		if (decoding.hasContent(decoder)) return { kind: 'malformed', reason: 'trailing bytes' };
		return frame;
	} catch (error) {
		return { kind: 'malformed', reason: error instanceof Error ? error.message : 'undecodable frame' };
	}
}
