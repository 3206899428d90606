import * as Y from 'yjs';
import type { z } from 'zod';
import type { Lane, ReviewDocs } from './lanes';
import {
	storedFrameSchema,
	storedRoundSchema,
	storedThreadSchema,
	storedVersionSchema,
	type StoredDecision,
	type StoredFrame,
	type StoredMessage,
	type StoredRound,
	type StoredThread,
	type StoredVersion
} from './records';

// The layout of one review document. Every map is a root type (`doc.getMap(name)`): root types exist once
// per name in every replica, whereas a nested map created by two writers at once would keep only one of them.
//
//   meta      schemaVersion → number
//   applied   `${userId}/${commandId}` → { at, effects }   (de-duplication of retried commands, see applyCommand.ts)
//   frames    id → Y.Map of a StoredFrame                  (client doc only: clients see every frame)
//   versions  id → Y.Map of a StoredVersion                (client doc if clientVisible, else internal doc)
//   threads   id → Y.Map of a StoredThread; `messages` is a Y.Array of Y.Maps, each message's `reactions` a Y.Map
//   rounds    id → Y.Map of a StoredRound; `decisions` is a Y.Array of plain objects (append-only)
//
// Entities are Y.Maps of fields rather than JSON replaced wholesale, so two changes to one thread (a reply and a
// resolve) both survive should two writers ever apply commands concurrently; the room is a single writer today.
export const MAP_NAMES = {
	meta: 'meta',
	applied: 'applied',
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
		applied: doc.getMap(MAP_NAMES.applied),
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

type Collection = 'frames' | 'versions' | 'threads' | 'rounds';
const SCHEMAS = {
	frames: storedFrameSchema,
	versions: storedVersionSchema,
	threads: storedThreadSchema,
	rounds: storedRoundSchema
} satisfies Record<Collection, z.ZodType>;
type RecordOf<C extends Collection> = z.infer<(typeof SCHEMAS)[C]>;

/** One entry of a collection, parsed; `null` if absent or malformed. */
export function readEntry<C extends Collection>(doc: Y.Doc, collection: C, id: string): RecordOf<C> | null {
	return parseEntry(collection, id, reviewMaps(doc)[collection].get(id));
}

/** Every well-formed entry of a collection, in no particular order (Y.Map order differs between replicas). */
export function readEntries<C extends Collection>(doc: Y.Doc, collection: C): RecordOf<C>[] {
	const out: RecordOf<C>[] = [];
	reviewMaps(doc)[collection].forEach((value, key) => {
		const entry = parseEntry(collection, key, value);
		if (entry) out.push(entry);
	});
	return out;
}

function parseEntry<C extends Collection>(collection: C, key: string, value: unknown): RecordOf<C> | null {
	if (!(value instanceof Y.Map)) return null;
	const parsed = SCHEMAS[collection].safeParse(value.toJSON());
	return parsed.success && parsed.data.id === key ? (parsed.data as RecordOf<C>) : null;
}

/** The live Y.Map of an entry, to change fields in place. */
export function entryMap(doc: Y.Doc, collection: Collection, id: string): Y.Map<unknown> | null {
	const value = reviewMaps(doc)[collection].get(id);
	return value instanceof Y.Map ? value : null;
}

/** A new Y.Map holding `fields`; nested Y types are passed in already built. */
function yMap(fields: Record<string, unknown>): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [key, value] of Object.entries(fields)) map.set(key, value);
	return map;
}

/** The Y form of a frame. */
export function frameToY(frame: StoredFrame): Y.Map<unknown> {
	return yMap(frame);
}

/** The Y form of a version. */
export function versionToY(version: StoredVersion): Y.Map<unknown> {
	return yMap(version);
}

/** The Y form of a message (its reactions become a Y.Map so toggles merge). */
export function messageToY(message: StoredMessage): Y.Map<unknown> {
	return yMap({ ...message, reactions: yMap(message.reactions) });
}

/** The Y form of a thread. */
export function threadToY(thread: StoredThread): Y.Map<unknown> {
	const messages = new Y.Array<Y.Map<unknown>>();
	messages.push(thread.messages.map(messageToY));
	return yMap({ ...thread, messages });
}

/** The Y form of a round. */
export function roundToY(round: StoredRound): Y.Map<unknown> {
	const decisions = new Y.Array<StoredDecision>();
	decisions.push(round.decisions);
	return yMap({ ...round, decisions });
}
