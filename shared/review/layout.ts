import * as Y from 'yjs';
import type { z } from 'zod';
import type { Lane, ReviewDocs } from './lanes';
import { isOrderKey } from './orderKeys';
import { storedFrameSchema, storedRoundSchema, storedThreadSchema, storedVersionSchema } from './records';

// The layout of one review lane document, schema version 1. Every map is a root type (`doc.getMap(name)`),
// which exists once per name in every replica.
//
//   meta      schemaVersion → 1
//   frames    id → JSON text of a StoredFrame     (client doc only: clients see every frame)
//   versions  id → JSON text of a StoredVersion   (client doc if clientVisible, else internal doc)
//   threads   id → JSON text of a StoredThread, with its messages and their reactions
//   rounds    id → JSON text of a StoredRound, with its decisions
//
// Each entity is ONE value, replaced wholesale on every change: read (parse), copy, change, `map.set(id, next)`
// (`putEntry`). These documents have a single writer: only the room applies commands, one at a time, and
// clients' connections to them are read-only. Nested Y types (a Y.Map per entity, a Y.Array of Y.Maps per
// thread) would only pay off with concurrent writers, and they cost a Yjs item per field: a 10,000-thread
// document took a second to load. One value is one item, and the value a change replaces is garbage-collected,
// leaving a tombstone of a few bytes. Should two writers ever race on one entity, the last write wins whole
// (Y.Map semantics): the replicas still converge, one change is lost.
//
// The value is the record's JSON text rather than the object itself: Yjs would encode an object field by
// field (lib0 `writeAny`) and decode it string by string, which made loading that document take 250 ms;
// one string per entity decodes ten times faster, and `JSON.parse` never turns a `__proto__` key into a prototype.
//
// The records of applied commands are not here but in the room's server-side ledger (ledger.ts).
export const MAP_NAMES = {
	meta: 'meta',
	frames: 'frames',
	versions: 'versions',
	threads: 'threads',
	rounds: 'rounds'
} as const;

export type ReviewMaps = { [K in keyof typeof MAP_NAMES]: Y.Map<unknown> };

/** The root maps of a review document. Reading them does not write to the document. */
export function reviewMaps(doc: Y.Doc): ReviewMaps {
	return {
		meta: doc.getMap(MAP_NAMES.meta),
		frames: doc.getMap(MAP_NAMES.frames),
		versions: doc.getMap(MAP_NAMES.versions),
		threads: doc.getMap(MAP_NAMES.threads),
		rounds: doc.getMap(MAP_NAMES.rounds)
	};
}

/** The document holding `lane`. */
export function docOf(docs: ReviewDocs, lane: Lane): Y.Doc {
	return lane === 'client' ? docs.client : docs.internal;
}

export const COLLECTIONS = ['frames', 'versions', 'threads', 'rounds'] as const;
export type Collection = (typeof COLLECTIONS)[number];
const SCHEMAS = {
	frames: storedFrameSchema,
	versions: storedVersionSchema,
	threads: storedThreadSchema,
	rounds: storedRoundSchema
} satisfies Record<Collection, z.ZodType>;
export type RecordOf<C extends Collection> = z.infer<(typeof SCHEMAS)[C]>;

/** One entry of a collection, parsed into a fresh object the caller may change; `null` if absent or malformed. */
export function readEntry<C extends Collection>(doc: Y.Doc, collection: C, id: string): RecordOf<C> | null {
	return parseEntry(collection, id, reviewMaps(doc)[collection].get(id));
}

// Per collection map: each entry's stored value and its parsed record, so a view re-read after one change
// parses that entry only (a 10,000-thread review: ~240 ms to parse whole, a few ms from this cache).
const entryCache = new WeakMap<Y.Map<unknown>, Map<string, { value: unknown; record: unknown }>>();

/**
 * Every well-formed entry of a collection, in no particular order (Y.Map order differs between replicas).
 * The records are shared between calls and frozen: copy one (`readEntry`, or a spread) to change it.
 */
export function readEntries<C extends Collection>(doc: Y.Doc, collection: C): RecordOf<C>[] {
	const map = reviewMaps(doc)[collection];
	let known = entryCache.get(map);
	if (!known) entryCache.set(map, (known = new Map()));
	const out: RecordOf<C>[] = [];
	let seen = 0;
	map.forEach((value, key) => {
		seen++;
		let cached = known.get(key);
		// Only JSON text is cached: a Y type (the old layout) can change without the map entry changing.
		if (!cached || cached.value !== value || typeof value !== 'string') {
			const record = parseEntry(collection, key, value);
			known.set(key, (cached = { value, record: record && deepFreeze(record) }));
		}
		if (cached.record) out.push(cached.record as RecordOf<C>);
	});
	if (known.size > seen) for (const key of known.keys()) if (!map.has(key)) known.delete(key);
	return out;
}

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const child of Object.values(value)) deepFreeze(child);
	}
	return value;
}

/** Stores `record` as the whole entry of its id, replacing any previous value. Call it inside a transaction. */
export function putEntry<C extends Collection>(doc: Y.Doc, collection: C, record: RecordOf<C>): void {
	reviewMaps(doc)[collection].set(record.id, JSON.stringify(record));
}

/** Removes an entry. Call it inside a transaction. */
export function deleteEntry(doc: Y.Doc, collection: Collection, id: string): void {
	reviewMaps(doc)[collection].delete(id);
}

export interface FrameOrder {
	readonly id: string;
	readonly order: string;
}

// Per frames map: each entry's stored value and the order key parsed from it, so a scan parses only what changed.
interface KnownOrder {
	value: unknown;
	frame: FrameOrder | null;
	scan: number;
}
const orderCache = new WeakMap<Y.Map<unknown>, { scan: number; known: Map<string, KnownOrder> }>();

/**
 * The order keys of the frames, without validating whole entries: `frame.add` needs only these, and parsing
 * every frame on every add cost 20 ms at 5,000 frames. Each stored value is parsed once, then remembered
 * until it changes. A malformed entry with a valid key may take part; that only shifts where a new key
 * falls, never the order of the frames shown.
 */
export function frameOrders(doc: Y.Doc): FrameOrder[] {
	const frames = reviewMaps(doc).frames;
	let cache = orderCache.get(frames);
	if (!cache) orderCache.set(frames, (cache = { scan: 0, known: new Map() }));
	const { known } = cache;
	const scan = ++cache.scan;
	const out: FrameOrder[] = [];
	let seen = 0;
	frames.forEach((value, id) => {
		let entry = known.get(id);
		if (!entry || entry.value !== value) known.set(id, (entry = { value, frame: orderOf(id, value), scan }));
		entry.scan = scan;
		seen++;
		if (entry.frame) out.push(entry.frame);
	});
	if (known.size > seen) for (const [id, entry] of known) if (entry.scan !== scan) known.delete(id);
	return out;
}

function orderOf(id: string, value: unknown): FrameOrder | null {
	const json = storedJson(value);
	const order = isPlainObject(json) ? json.order : undefined;
	return isOrderKey(order) ? { id, order } : null;
}

/**
 * The JSON of a stored value, whatever its form: JSON text (this layout), a Y type (the nested layout of
 * earlier code, see migrate.ts: read as its JSON, so nothing is lost before a room migrates) or a plain value
 * (version 0). `undefined` for text that is not JSON, or objects that are not plain: lib0 decodes an object
 * by assignment, so a `__proto__` key becomes a prototype, whose fields a schema would read as the object's.
 */
export function storedJson(value: unknown): unknown {
	if (typeof value === 'string') {
		try {
			return JSON.parse(value) as unknown;
		} catch {
			return undefined;
		}
	}
	const json = value instanceof Y.AbstractType ? (value.toJSON() as unknown) : value;
	return isPlainTree(json, 0) ? json : undefined;
}

// Entries are parsed, never trusted: whatever does not fit its schema, or is filed under another id, is skipped.
function parseEntry<C extends Collection>(collection: C, key: string, value: unknown): RecordOf<C> | null {
	const parsed = SCHEMAS[collection].safeParse(storedJson(value));
	return parsed.success && parsed.data.id === key ? (parsed.data as RecordOf<C>) : null;
}

/** Whether `value` is an object literal or `JSON.parse` output (not an array, a Y type, a class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null) return false;
	const proto = Object.getPrototypeOf(value) as unknown;
	return proto === Object.prototype || proto === null;
}

const MAX_DEPTH = 16;

function isPlainTree(value: unknown, depth: number): boolean {
	if (typeof value !== 'object' || value === null) return true;
	if (depth > MAX_DEPTH) return false;
	if (Array.isArray(value)) return Object.getPrototypeOf(value) === Array.prototype && value.every((v) => isPlainTree(v, depth + 1));
	return isPlainObject(value) && Object.values(value).every((v) => isPlainTree(v, depth + 1));
}
