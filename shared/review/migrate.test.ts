import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyCommand } from './applyCommand';
import { migrateReviewDoc, REVIEW_SCHEMA_VERSION, reviewSchemaVersion } from './migrate';
import { readReview } from './readReview';
import { ACTORS, stamps } from './testKit';

const { designer, client } = ACTORS;
const someone = { userId: 'u-designer', name: 'Dera (designer)' };

// A document as the first draft (schema 0) stored it: plain JSON values, one comment per thread, no schema version.
function version0ClientDoc(): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		const frames = doc.getMap('frames');
		frames.set('f-b', { id: 'f-b', name: 'B', width: 390, height: 844, position: 2, createdBy: someone, createdAt: '2026-01-01T00:00:02Z' });
		frames.set('f-a', { id: 'f-a', name: 'A', width: 390, height: 844, position: 1, createdBy: someone, createdAt: '2026-01-01T00:00:01Z' });
		doc.getMap('versions').set('v0', { id: 'v0', label: 'Maquette', clientVisible: true, createdBy: someone, createdAt: '2026-01-01T00:00:03Z' });
		const threads = doc.getMap('threads');
		threads.set('t1', {
			id: 't1', lane: 'client', frameId: 'f-a', x: 0.5, y: 0.25, body: 'Ancien commentaire', createdAt: '2026-01-02T00:00:00Z', resolved: false,
			author: { userId: 'u-client', name: 'Fara (client)', role: 'client' }
		});
		threads.set('t2', {
			id: 't2', lane: 'client', frameId: 'f-b', body: 'Réglé', createdAt: '2026-01-03T00:00:00Z', resolved: true,
			author: { userId: 'u-designer', name: 'Dera (designer)', role: 'designer' }
		});
		threads.set('junk', { what: 'is this' });
	});
	return doc;
}

describe('migrateReviewDoc', () => {
	it('upgrades a version-0 document to the current shape', () => {
		const doc = version0ClientDoc();
		expect(reviewSchemaVersion(doc)).toBe(0);
		expect(readReview({ client: doc }, client).threads).toEqual([]);
		expect(migrateReviewDoc(doc)).toEqual({ ok: true, from: 0, migrated: true });
		expect(reviewSchemaVersion(doc)).toBe(REVIEW_SCHEMA_VERSION);
		const view = readReview({ client: doc }, client);
		expect(view.frames.map((f) => [f.id, f.archived, f.image])).toEqual([['f-a', false, null], ['f-b', false, null]]);
		expect(view.versions).toMatchObject([{ id: 'v0', label: 'Maquette', figmaVersionId: null, clientVisible: true, current: true }]);
		expect(view.threads).toEqual([
			expect.objectContaining({
				id: 't1', anchor: { kind: 'point', x: 0.5, y: 0.25 }, status: 'open', versionId: null, pin: 1,
				messages: [expect.objectContaining({ id: 't1', body: 'Ancien commentaire', author: { userId: 'u-client', name: 'Fara (client)', role: 'client' }, editedAt: null })]
			}),
			expect.objectContaining({ id: 't2', anchor: { kind: 'frame' }, status: 'resolved', pin: 1 })
		]);
		// What it could not understand is left for a human, not deleted.
		expect(doc.getMap('threads').get('junk')).toEqual({ what: 'is this' });
	});

	it('is idempotent: a second run writes nothing', () => {
		const doc = version0ClientDoc();
		migrateReviewDoc(doc);
		const before = Y.encodeStateAsUpdate(doc);
		expect(migrateReviewDoc(doc)).toEqual({ ok: true, from: 1, migrated: false });
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('leaves the migrated threads usable by commands', () => {
		const doc = version0ClientDoc();
		const docs = { client: doc, internal: new Y.Doc() };
		const stamp = stamps();
		expect(applyCommand(docs, { type: 'thread.reply', commandId: 'c1', threadId: 't1', body: 'Réponse', mentions: [] }, stamp(designer)).ok).toBe(true);
		expect(applyCommand(docs, { type: 'message.edit', commandId: 'c2', threadId: 't1', messageId: 't1', body: 'Corrigé', mentions: [] }, stamp(client)).ok).toBe(true);
		expect(applyCommand(docs, { type: 'frame.add', commandId: 'c3', name: 'C', width: 1, height: 1 }, stamp(designer)).ok).toBe(true);
		const view = readReview(docs, designer);
		expect(view.threads[0]!.messages.map((m) => m.body)).toEqual(['Corrigé', 'Réponse']);
		expect(view.frames.map((f) => f.name)).toEqual(['A', 'B', 'C']);
		expect(reviewSchemaVersion(docs.internal)).toBe(REVIEW_SCHEMA_VERSION);
	});

	it('leaves a document from newer code alone', () => {
		const doc = new Y.Doc();
		doc.getMap('meta').set('schemaVersion', REVIEW_SCHEMA_VERSION + 1);
		expect(migrateReviewDoc(doc)).toMatchObject({ ok: false, from: REVIEW_SCHEMA_VERSION + 1 });
	});
});
