import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { Y_MESSAGE } from '../../shared/protocol';

/** A binary frame: `[channel][y-protocols message type][payload]`. */
export function encodeFrame(channel: number, type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, channel);
	encoding.writeVarUint(encoder, type);
	write(encoder);
	return encoding.toUint8Array(encoder);
}

/** The whole document as a sync step 2, sent unasked on connect so a client is synced after one message. */
export function fullStateFrame(channel: number, state: Uint8Array): Uint8Array {
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

/** Asks the peer for what it has that we lack (only on channels it may write). */
export function stateVectorFrame(channel: number, doc: Y.Doc): Uint8Array {
	return encodeFrame(channel, Y_MESSAGE.sync, (e) => syncProtocol.writeSyncStep1(e, doc));
}

/** One document update, as broadcast to the channel's readers. */
export function updateFrame(channel: number, update: Uint8Array): Uint8Array {
	return encodeFrame(channel, Y_MESSAGE.sync, (e) => syncProtocol.writeUpdate(e, update));
}

export function awarenessFrame(channel: number, update: Uint8Array): Uint8Array {
	return encodeFrame(channel, Y_MESSAGE.awareness, (e) => encoding.writeVarUint8Array(e, update));
}

/** A decoded incoming frame. Decoding never throws: bad bytes give `{ kind: 'malformed' }`. */
export type IncomingFrame =
	| { kind: 'syncStep1'; channel: number; stateVector: Uint8Array }
	| { kind: 'update'; channel: number; update: Uint8Array }
	| { kind: 'awareness'; channel: number; update: Uint8Array }
	| { kind: 'malformed'; reason: string };

export function decodeFrame(data: Uint8Array): IncomingFrame {
	try {
		const decoder = decoding.createDecoder(data);
		const channel = decoding.readVarUint(decoder);
		const type = decoding.readVarUint(decoder);
		let frame: IncomingFrame;
		if (type === Y_MESSAGE.sync) {
			const syncType = decoding.readVarUint(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			if (syncType === syncProtocol.messageYjsSyncStep1) frame = { kind: 'syncStep1', channel, stateVector: payload };
			else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) frame = { kind: 'update', channel, update: payload };
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

/**
 * What a peer's Yjs update would do, read without applying it; never throws:
 * - `empty`: nothing (read-only peers still answer a sync step 1 with such an update);
 * - `deletions`: only deletes content the document already has (it cannot grow the document: deleted
 *   content becomes a tombstone);
 * - `content`: anything else (new content, or deletions of content the document has not seen);
 * - `malformed`: bytes that are not a Yjs update (`Y.decodeUpdate` throws on them).
 */
export type UpdateKind = 'empty' | 'deletions' | 'content' | 'malformed';

export function classifyUpdate(update: Uint8Array, doc: Y.Doc): UpdateKind {
	let decoded: ReturnType<typeof Y.decodeUpdate>;
	try {
		decoded = Y.decodeUpdate(update);
	} catch {
		return 'malformed';
	}
	const { structs, ds } = decoded;
	if (structs.length > 0) return 'content';
	if (ds.clients.size === 0) return 'empty';
	const known = Y.decodeStateVector(Y.encodeStateVector(doc));
	for (const [client, ranges] of ds.clients) {
		const clock = known.get(client) ?? 0;
		if (ranges.some((range) => range.clock + range.len > clock)) return 'content';
	}
	return 'deletions';
}

/** The missing part of `doc` for a peer's state vector; `null` for bytes that are not a state vector. */
export function diffFor(doc: Y.Doc, stateVector: Uint8Array): Uint8Array | null {
	try {
		return Y.encodeStateAsUpdate(doc, stateVector);
	} catch {
		return null;
	}
}
