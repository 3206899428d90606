import * as Y from 'yjs';

// What the room reads in a peer's Yjs payload before applying it. The frames themselves are encoded and decoded
// by shared/roomFrames.ts, the one codec of both ends.

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
