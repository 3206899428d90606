import { joinBytes } from './bytes';
import { STORAGE_FORMAT_VERSION, metaKey, parseDocKey, type DocMeta } from './storageLayout';

/** A stored document is from a newer server or damaged: loading it would lose data, so loading stops. */
export class StoredDocError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'StoredDocError';
	}
}

/** One log entry, parts joined. */
export interface StoredEntry {
	seq: number;
	keys: string[];
	data: Uint8Array;
}

/** What `list({ prefix: docPrefix(docId) })` holds, sorted out. */
export interface StoredDoc {
	meta: DocMeta | null;
	snapshot: Uint8Array | null;
	/** Entries after `meta.upToSeq`, in order. */
	entries: StoredEntry[];
	/** Keys no reader needs: other snapshot generations (older, or orphaned by a crash before the switch) and entries the snapshot covers. */
	garbage: string[];
	/** Highest sequence number and generation present in any key, so new ones never reuse a key. */
	maxSeq: number;
	maxGeneration: number;
}

/**
 * Sorts the rows of one document into snapshot, live log and garbage; throws `StoredDocError` for a
 * newer format or a current snapshot that is incomplete (which the commit protocol never produces).
 */
export function readStoredDoc(docId: string, rows: Map<string, unknown>): StoredDoc {
	const meta = rows.has(metaKey(docId)) ? checkMeta(docId, rows.get(metaKey(docId))) : null;
	const upToSeq = meta?.upToSeq ?? 0;
	const chunks: Uint8Array[] = [];
	const entries = new Map<number, { keys: string[]; parts: Uint8Array[] }>();
	const garbage: string[] = [];
	let maxSeq = upToSeq;
	let maxGeneration = meta?.generation ?? 0;

	for (const [key, value] of rows) {
		const parsed = parseDocKey(docId, key);
		if (parsed.kind === 'log') {
			maxSeq = Math.max(maxSeq, parsed.seq);
			if (parsed.seq <= upToSeq) {
				garbage.push(key);
				continue;
			}
			const entry = entries.get(parsed.seq) ?? { keys: [], parts: [] };
			entry.keys.push(key);
			entry.parts.push(bytesOf(docId, key, value));
			entries.set(parsed.seq, entry);
		} else if (parsed.kind === 'snap') {
			maxGeneration = Math.max(maxGeneration, parsed.generation);
			if (meta && parsed.generation === meta.generation) chunks[parsed.chunk] = bytesOf(docId, key, value);
			else garbage.push(key);
		}
		// 'meta' is read above; 'unknown' keys belong to someone else and are left alone.
	}

	let snapshot: Uint8Array | null = null;
	if (meta) {
		const present = chunks.filter(Boolean).length;
		if (present !== meta.chunks || chunks.length !== meta.chunks) {
			throw new StoredDocError(`DocStore: document '${docId}' snapshot ${meta.generation} has ${present} of ${meta.chunks} chunks; storage is damaged, restore it from a backup`);
		}
		snapshot = joinBytes(chunks);
		if (snapshot.byteLength !== meta.bytes) {
			throw new StoredDocError(`DocStore: document '${docId}' snapshot ${meta.generation} has ${snapshot.byteLength} bytes, meta says ${meta.bytes}; storage is damaged, restore it from a backup`);
		}
	}

	// Parts of an entry are written in one atomic put, so an entry is complete or absent; rows are sorted, so parts are in order.
	const live = [...entries].map(([seq, { keys, parts }]) => ({ seq, keys, data: joinBytes(parts) }));
	return { meta, snapshot, entries: live, garbage, maxSeq, maxGeneration };
}

function checkMeta(docId: string, value: unknown): DocMeta {
	const meta = value as Partial<DocMeta> | null;
	if (typeof meta !== 'object' || meta === null || typeof meta.formatVersion !== 'number') {
		throw new StoredDocError(`DocStore: document '${docId}' has an unreadable meta record; storage is damaged, restore it from a backup`);
	}
	if (meta.formatVersion > STORAGE_FORMAT_VERSION) {
		throw new StoredDocError(
			`DocStore: document '${docId}' was stored in format ${meta.formatVersion} by a newer server; this server reads format ${STORAGE_FORMAT_VERSION}. Deploy the newer server (never write to it with this one)`
		);
	}
	const numbers = [meta.generation, meta.chunks, meta.bytes, meta.upToSeq];
	if (!numbers.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) {
		throw new StoredDocError(`DocStore: document '${docId}' has a malformed meta record ${JSON.stringify(meta)}; storage is damaged, restore it from a backup`);
	}
	return meta as DocMeta;
}

function bytesOf(docId: string, key: string, value: unknown): Uint8Array {
	if (value instanceof Uint8Array) return value;
	throw new StoredDocError(`DocStore: document '${docId}' key ${key} does not hold bytes; storage is damaged, restore it from a backup`);
}
