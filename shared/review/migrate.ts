import * as Y from 'yjs';
import { z } from 'zod';
import { roleSchema } from '../roles';
import { idSchema } from './ids';
import { laneSchema } from './lanes';
import { frameToY, reviewMaps, threadToY, versionToY } from './layout';
import { isOrderKey, keyBetween } from './orderKeys';
import type { StoredFrame, StoredThread, StoredVersion } from './records';

/** The shape `applyCommand` writes and `readReview` reads; bump it with every change of shape and migrate below. */
export const REVIEW_SCHEMA_VERSION = 1;

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

/** The outcome of `migrateReviewDoc`; a document newer than this code is left alone. */
export type MigrationResult = { ok: true; from: number; migrated: boolean } | { ok: false; from: number; message: string };

/** The schema version stored in a review document (0 when absent, as in the first draft). */
export function reviewSchemaVersion(doc: Y.Doc): number {
	const version = reviewMaps(doc).meta.get('schemaVersion');
	return typeof version === 'number' ? version : 0;
}

/**
 * Upgrades a review document to `REVIEW_SCHEMA_VERSION` in one transaction; call it on load, before anything
 * reads or writes. Idempotent. Entries it cannot understand are left as they are (readers skip them), never deleted.
 */
export function migrateReviewDoc(doc: Y.Doc): MigrationResult {
	const from = reviewSchemaVersion(doc);
	if (from > REVIEW_SCHEMA_VERSION) {
		return { ok: false, from, message: `Review data is at schema ${from}, newer than this code (${REVIEW_SCHEMA_VERSION}): deploy the newer code.` };
	}
	if (from === REVIEW_SCHEMA_VERSION) return { ok: true, from, migrated: false };
	doc.transact(() => {
		const maps = reviewMaps(doc);
		migrateFrames(maps.frames);
		for (const [id, value] of [...maps.versions.entries()]) {
			const v = !(value instanceof Y.Map) && v0Version.safeParse(value);
			if (v && v.success && v.data.id === id) {
				const version: StoredVersion = { ...v.data, figmaVersionId: null };
				maps.versions.set(id, versionToY(version));
			}
		}
		for (const [id, value] of [...maps.threads.entries()]) {
			const t = !(value instanceof Y.Map) && v0Thread.safeParse(value);
			if (t && t.success && t.data.id === id) maps.threads.set(id, threadToY(threadFromV0(t.data)));
		}
		maps.meta.set('schemaVersion', REVIEW_SCHEMA_VERSION);
	}, { source: 'review-migration' });
	return { ok: true, from, migrated: true };
}

// Numeric positions become order keys in the same order, after any frame already migrated.
function migrateFrames(frames: Y.Map<unknown>): void {
	const old: z.infer<typeof v0Frame>[] = [];
	let last: string | null = null;
	for (const [id, value] of frames.entries()) {
		if (value instanceof Y.Map) {
			const order = value.get('order');
			if (isOrderKey(order) && (last === null || order > last)) last = order;
			continue;
		}
		const f = v0Frame.safeParse(value);
		if (f.success && f.data.id === id) old.push(f.data);
	}
	old.sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
	for (const f of old) {
		last = keyBetween(last, null);
		const frame: StoredFrame = {
			id: f.id, name: f.name, figmaNodeId: null, page: null, width: f.width, height: f.height, image: null,
			order: last, archived: false, createdBy: f.createdBy, createdAt: f.createdAt
		};
		frames.set(f.id, frameToY(frame));
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
