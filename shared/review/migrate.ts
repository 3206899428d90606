import * as Y from 'yjs';
import { z } from 'zod';
import { roleSchema } from '../roleSchema';
import { idSchema } from './ids';
import { laneSchema } from './lanes';
import { COLLECTIONS, putEntry, readEntry, reviewMaps, storedJson, type Collection } from './layout';
import { hasLegacyApplied, moveLegacyApplied } from './ledger';
import { keyBetween } from './orderKeys';
import type { StoredFrame, StoredThread } from './records';

/**
 * The shape `applyCommand` writes and `readReview` reads (layout.ts: one JSON value per entity, no applied
 * records); bump it with every change of shape and migrate below.
 */
export const REVIEW_SCHEMA_VERSION = 1;

// Version 0.5, the nested layout: what the code before the JSON layout wrote, also under schemaVersion 1
// (there was no production data, so version 1 was redefined rather than bumped). Told apart by its values:
//   frames, versions   id → Y.Map of the stored fields
//   threads            id → Y.Map; `messages` a Y.Array of Y.Maps, each message's `reactions` a Y.Map
//   rounds             id → Y.Map; `decisions` a Y.Array of plain objects
//   applied            `${userId}/${commandId}` → { at, effects }, in each lane document
// Each Y.Map's `toJSON()` is exactly the version 1 record, so upgrading is replacing it with its JSON text.
const NESTED_LAYOUT = 0.5;

// Version 0, the first draft: plain JSON values replaced wholesale and no schema version at all.
//   frames   id → { id, name, width, height, position: number, createdBy: {userId, name}, createdAt }
//   versions id → { id, label, clientVisible, createdBy, createdAt }
//   threads  id → { id, lane, frameId, x?, y?, body, author: {userId, name, role}, createdAt, resolved }
// A thread was a single comment: no replies, no edits, no reactions, no version pin. There were no rounds.
const person = z.object({ userId: idSchema, name: z.string() });
const v0Frame = z.object({
	id: idSchema,
	name: z.string(),
	width: z.number(),
	height: z.number(),
	position: z.number(),
	createdBy: person,
	createdAt: z.string()
});
const v0Version = z.object({ id: idSchema, label: z.string(), clientVisible: z.boolean(), createdBy: person, createdAt: z.string() });
const v0Thread = z.object({
	id: idSchema,
	lane: laneSchema,
	frameId: idSchema,
	x: z.number().optional(),
	y: z.number().optional(),
	body: z.string(),
	author: person.extend({ role: roleSchema }),
	createdAt: z.string(),
	resolved: z.boolean()
});

/** The outcome of `migrateReviewDoc`; `from` is 0.5 for the nested layout. A document newer than this code is left alone. */
export type MigrationResult = { ok: true; from: number; migrated: boolean } | { ok: false; from: number; message: string };

/** The schema version stored in a review document (0 when absent, as in the first draft). */
export function reviewSchemaVersion(doc: Y.Doc): number {
	const version = reviewMaps(doc).meta.get('schemaVersion');
	return typeof version === 'number' ? version : 0;
}

// Documents this process has seen in the current layout. Telling the nested layout apart takes a look at
// every entry; `applyCommand` migrates before each command, so that look is taken once per document, not
// per command. Sound because the documents have a single writer, this code: nothing nested arrives later.
const current = new WeakSet<Y.Doc>();

/**
 * Upgrades a review document to `REVIEW_SCHEMA_VERSION`; call it on load, before anything reads or writes.
 * From version 0 and from the nested layout, in one transaction; the nested layout's applied-command records
 * move to `ledger` when given (else they are dropped). Idempotent. Entries it cannot understand are left as
 * they are (readers skip them), never deleted.
 * @example migrateReviewDoc(docs.client, docs.ledger)
 */
export function migrateReviewDoc(doc: Y.Doc, ledger?: Y.Doc): MigrationResult {
	const stored = reviewSchemaVersion(doc);
	if (stored > REVIEW_SCHEMA_VERSION) {
		return { ok: false, from: stored, message: `Review data is at schema ${stored}, newer than this code (${REVIEW_SCHEMA_VERSION}): deploy the newer code.` };
	}
	if (stored === REVIEW_SCHEMA_VERSION && current.has(doc)) return { ok: true, from: stored, migrated: false };
	const nested = hasNestedValues(doc) || hasLegacyApplied(doc);
	if (stored === REVIEW_SCHEMA_VERSION && !nested) {
		current.add(doc);
		return { ok: true, from: stored, migrated: false };
	}
	doc.transact(() => {
		const maps = reviewMaps(doc);
		// Unnest first, so the version-0 frames below go after frames already in the current layout.
		for (const collection of COLLECTIONS) unnest(maps[collection]);
		moveLegacyApplied(doc, ledger);
		if (stored < REVIEW_SCHEMA_VERSION) migrateFromV0(doc);
		if (stored !== REVIEW_SCHEMA_VERSION) maps.meta.set('schemaVersion', REVIEW_SCHEMA_VERSION);
	}, { source: 'review-migration' });
	current.add(doc);
	return { ok: true, from: stored === REVIEW_SCHEMA_VERSION ? NESTED_LAYOUT : stored, migrated: true };
}

function hasNestedValues(doc: Y.Doc): boolean {
	const maps = reviewMaps(doc);
	return COLLECTIONS.some((collection: Collection) => {
		for (const value of maps[collection].values()) if (value instanceof Y.AbstractType) return true;
		return false;
	});
}

// Every nested value becomes its JSON text, valid or not: nothing is lost, and what is malformed stays for a
// human to look at (readers skip it either way).
function unnest(map: Y.Map<unknown>): void {
	for (const [id, value] of [...map.entries()]) {
		if (value instanceof Y.AbstractType) map.set(id, JSON.stringify(value.toJSON()));
	}
}

// Entries already in the current shape are left alone: a version-0 schema would accept them too, since
// zod objects ignore the fields they do not know.
function migrateFromV0(doc: Y.Doc): void {
	const maps = reviewMaps(doc);
	migrateFrames(doc);
	for (const [id, value] of [...maps.versions.entries()]) {
		const v = v0Version.safeParse(storedJson(value));
		if (v.success && v.data.id === id && !readEntry(doc, 'versions', id)) putEntry(doc, 'versions', { ...v.data, figmaVersionId: null });
	}
	for (const [id, value] of [...maps.threads.entries()]) {
		const t = v0Thread.safeParse(storedJson(value));
		if (t.success && t.data.id === id && !readEntry(doc, 'threads', id)) putEntry(doc, 'threads', threadFromV0(t.data));
	}
}

// Numeric positions become order keys in the same order, after any frame already in the current shape.
function migrateFrames(doc: Y.Doc): void {
	const old: z.infer<typeof v0Frame>[] = [];
	let last: string | null = null;
	for (const [id, value] of [...reviewMaps(doc).frames.entries()]) {
		const frame = readEntry(doc, 'frames', id);
		if (frame) {
			if (last === null || frame.order > last) last = frame.order;
			continue;
		}
		const f = v0Frame.safeParse(storedJson(value));
		if (f.success && f.data.id === id) old.push(f.data);
	}
	old.sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
	for (const f of old) {
		last = keyBetween(last, null);
		const frame: StoredFrame = {
			id: f.id, name: f.name, figmaNodeId: null, page: null, width: f.width, height: f.height, image: null,
			order: last, archived: false, createdBy: f.createdBy, createdAt: f.createdAt
		};
		putEntry(doc, 'frames', frame);
	}
}

function threadFromV0(t: z.infer<typeof v0Thread>): StoredThread {
	const inFrame = (n: number | undefined) => n !== undefined && n >= 0 && n <= 1;
	return {
		id: t.id,
		lane: t.lane,
		frameId: t.frameId,
		anchor: inFrame(t.x) && inFrame(t.y) ? { kind: 'point', x: t.x!, y: t.y! } : { kind: 'frame' },
		versionId: null,
		status: t.resolved ? 'resolved' : 'open',
		resolvedBy: null,
		resolvedAt: null,
		reopenedBy: null,
		reopenedAt: null,
		createdBy: t.author,
		createdAt: t.createdAt,
		// The single comment becomes the first message; the thread id is unique, so it serves as the message id.
		messages: [{ id: t.id, author: t.author, body: t.body, mentions: [], createdAt: t.createdAt, editedAt: null, deletedAt: null, reactions: {} }]
	};
}
