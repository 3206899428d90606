/**
 * Where `DocStore` keeps a room's documents in Durable Object storage. All keys of one document share
 * the prefix `doc:<docId>:`, so a single `list({ prefix })` reads the whole document. See README.md.
 *
 *   doc:<docId>:log:<seq, 16 digits>:<part, 4 digits>   one log entry (a Yjs update), split into parts
 *   doc:<docId>:meta                                    DocMeta: which snapshot is current
 *   doc:<docId>:snap:<generation, 10 digits>:<chunk, 4 digits>   snapshot chunks
 *
 * Numbers are zero-padded so that `list` order (string order) is numeric order.
 */

/** Bump when the layout or the meta shape changes, and migrate older versions in `readStoredDoc`. */
export const STORAGE_FORMAT_VERSION = 1;

/** The per-document switch: the snapshot that is current and the log entries it already contains. */
export interface DocMeta {
	formatVersion: number;
	/** Snapshot chunks live under `snap:<generation>:`. */
	generation: number;
	chunks: number;
	/** Total snapshot size, checked on load. */
	bytes: number;
	/** Every log entry with `seq <= upToSeq` is contained in the snapshot (and may be deleted). */
	upToSeq: number;
}

// Letters, digits, `_` and `-` only: no `:` (so one document's prefix can never match another's) and short keys.
const DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SEQ_DIGITS = 16; // Number.MAX_SAFE_INTEGER has 16 digits.
const GENERATION_DIGITS = 10;
const PART_DIGITS = 4;

/** Throws unless `docId` is 1-64 characters of `[A-Za-z0-9_-]`. */
export function assertDocId(docId: string): void {
	if (!DOC_ID.test(docId)) throw new Error(`DocStore: invalid document id ${JSON.stringify(docId)}; use 1-64 characters of A-Z a-z 0-9 _ -`);
}

const pad = (n: number, digits: number) => String(n).padStart(digits, '0');

export const docPrefix = (docId: string) => `doc:${docId}:`;
export const metaKey = (docId: string) => `doc:${docId}:meta`;
export const logKey = (docId: string, seq: number, part: number) => `doc:${docId}:log:${pad(seq, SEQ_DIGITS)}:${pad(part, PART_DIGITS)}`;
export const snapshotKey = (docId: string, generation: number, chunk: number) =>
	`doc:${docId}:snap:${pad(generation, GENERATION_DIGITS)}:${pad(chunk, PART_DIGITS)}`;

/** The keys of a snapshot generation with `chunks` chunks. */
export function snapshotKeys(docId: string, generation: number, chunks: number): string[] {
	return Array.from({ length: chunks }, (_, i) => snapshotKey(docId, generation, i));
}

/** What a key under `doc:<docId>:` is; `unknown` for anything else (left alone, never deleted). */
export type ParsedKey =
	| { kind: 'meta' }
	| { kind: 'log'; seq: number; part: number }
	| { kind: 'snap'; generation: number; chunk: number }
	| { kind: 'unknown' };

const LOG_SUFFIX = new RegExp(`^log:(\\d{${SEQ_DIGITS}}):(\\d{${PART_DIGITS}})$`);
const SNAP_SUFFIX = new RegExp(`^snap:(\\d{${GENERATION_DIGITS}}):(\\d{${PART_DIGITS}})$`);

/** Parses a key of document `docId` (the key must start with `docPrefix(docId)`). */
export function parseDocKey(docId: string, key: string): ParsedKey {
	const rest = key.slice(docPrefix(docId).length);
	if (rest === 'meta') return { kind: 'meta' };
	const log = LOG_SUFFIX.exec(rest);
	if (log) return { kind: 'log', seq: Number(log[1]), part: Number(log[2]) };
	const snap = SNAP_SUFFIX.exec(rest);
	if (snap) return { kind: 'snap', generation: Number(snap[1]), chunk: Number(snap[2]) };
	return { kind: 'unknown' };
}
