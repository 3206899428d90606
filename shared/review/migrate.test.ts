import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyCommand } from './applyCommand';
import { migrateReviewDoc, REVIEW_SCHEMA_VERSION, reviewSchemaVersion } from './migrate';
import { readReview } from './readReview';
import type { StoredFrame, StoredRound, StoredThread, StoredVersion } from './records';
import { ACTORS, MEMBERS, stamps } from './testKit';

const { designer, client, admin } = ACTORS;
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

// The nested layout ("version 0.5") the code before the JSON layout wrote, also under schemaVersion 1:
// a Y.Map per entity, a Y.Array of Y.Maps per thread's messages with a Y.Map of reactions each, a Y.Array of
// decisions per round, and `{ at, effects }` records in each lane document's `applied` map.
const yMap = (fields: Record<string, unknown>) => {
	const map = new Y.Map<unknown>();
	for (const [key, value] of Object.entries(fields)) map.set(key, value);
	return map;
};
const yArray = <T,>(items: T[]) => {
	const array = new Y.Array<T>();
	array.push(items);
	return array;
};
const nestedThread = (thread: StoredThread) =>
	yMap({ ...thread, messages: yArray(thread.messages.map((m) => yMap({ ...m, reactions: yMap(m.reactions) }))) });
const nestedRound = (round: StoredRound) => yMap({ ...round, decisions: yArray(round.decisions) });

const at = (second: number) => `2026-11-20T10:00:${String(second).padStart(2, '0')}.000Z`;
const fara = { userId: 'u-client', name: 'Fara (client)', role: 'client' } as const;
const dera = { userId: 'u-designer', name: 'Dera (designer)', role: 'designer' } as const;
const message = (id: string, author: typeof fara | typeof dera, body: string, second: number, reactions: Record<string, string> = {}) => ({
	id, author, body, mentions: [], createdAt: at(second), editedAt: null, deletedAt: null, reactions
});
const thread = (id: string, lane: 'client' | 'internal', frameId: string, second: number, messages: StoredThread['messages']): StoredThread => ({
	id, lane, frameId, anchor: { kind: 'point', x: 0.25, y: 0.5 }, versionId: 'v1', status: 'open', resolvedBy: null, resolvedAt: null,
	reopenedBy: null, reopenedAt: null, createdBy: messages[0]!.author, createdAt: at(second), messages
});
const frame = (id: string, order: string, second: number): StoredFrame => ({
	id, name: `Frame ${id}`, figmaNodeId: null, page: null, width: 390, height: 844, image: null, order, archived: false, createdBy: someone, createdAt: at(second)
});
const version: StoredVersion = { id: 'v1', label: 'V1', figmaVersionId: null, clientVisible: true, createdBy: someone, createdAt: at(3) };
const legacyRecord = (second: number, created: { kind: string; id: string }[], lane: 'client' | 'internal') => ({
	at: at(second), effects: { lanes: [lane], created, mentioned: [] }
});

function nestedLayoutDocs(): { client: Y.Doc; internal: Y.Doc } {
	const client = new Y.Doc();
	const internal = new Y.Doc();
	client.transact(() => {
		client.getMap('meta').set('schemaVersion', 1);
		client.getMap('frames').set('f1', yMap(frame('f1', 'i', 1)));
		client.getMap('frames').set('f2', yMap(frame('f2', 'r', 2)));
		client.getMap('versions').set('v1', yMap(version));
		client.getMap('threads').set('t1', nestedThread(thread('t1', 'client', 'f1', 4, [
			message('m1', fara, 'Le logo est trop petit', 4, { 'u-designer:👍': at(6) }),
			message('m2', dera, 'Corrigé', 5)
		])));
		client.getMap('rounds').set('r1', nestedRound({
			id: 'r1', lane: 'client', versionId: 'v1', reviewers: ['u-client', 'u-admin'], dueDate: '2026-12-15', openedBy: someone, openedAt: at(7),
			decisions: [{ reviewerId: 'u-client', reviewerName: 'Fara (client)', decision: 'approved', comment: null, versionId: 'v1', at: at(8) }]
		}));
		client.getMap('applied').set('u-client/old-create', legacyRecord(4, [{ kind: 'thread', id: 't1' }, { kind: 'message', id: 'm1' }], 'client'));
	});
	internal.transact(() => {
		internal.getMap('meta').set('schemaVersion', 1);
		internal.getMap('threads').set('t2', nestedThread(thread('t2', 'internal', 'f2', 9, [message('m3', dera, 'Marge interne', 9)])));
		internal.getMap('applied').set('u-designer/old-internal', legacyRecord(9, [{ kind: 'thread', id: 't2' }, { kind: 'message', id: 'm3' }], 'internal'));
	});
	return { client, internal };
}

const everyValue = (doc: Y.Doc) => ['frames', 'versions', 'threads', 'rounds'].flatMap((name) => [...doc.getMap(name).values()]);

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
		// Straight to the current layout: one JSON text per entity.
		expect(['f-a', 'f-b'].map((id) => typeof doc.getMap('frames').get(id))).toEqual(['string', 'string']);
		expect(typeof doc.getMap('threads').get('t1')).toBe('string');
	});

	it('upgrades a document in the nested layout of earlier code (0.5): same view, one JSON text per entity, records to the ledger', () => {
		const docs = nestedLayoutDocs();
		// Readers already see the nested entries, so a client running this code loses nothing before the room migrates.
		const before = { staff: readReview(docs, designer), client: readReview(docs, client) };
		expect(before.staff.threads.map((t) => [t.id, t.messages.length])).toEqual([['t1', 2], ['t2', 1]]);
		expect(before.staff.threads[0]!.messages[0]!.reactions).toEqual({ '👍': ['u-designer'] });
		expect(before.staff.rounds[0]!.decisions).toHaveLength(1);
		const ledger = new Y.Doc();
		expect(migrateReviewDoc(docs.client, ledger)).toEqual({ ok: true, from: 0.5, migrated: true });
		expect(migrateReviewDoc(docs.internal, ledger)).toEqual({ ok: true, from: 0.5, migrated: true });
		expect(readReview(docs, designer)).toEqual(before.staff);
		expect(readReview(docs, client)).toEqual(before.client);
		for (const doc of [docs.client, docs.internal]) {
			expect(everyValue(doc).every((value) => typeof value === 'string')).toBe(true);
			expect(doc.getMap('applied').size).toBe(0);
			expect(reviewSchemaVersion(doc)).toBe(REVIEW_SCHEMA_VERSION);
		}
		expect(JSON.parse(docs.client.getMap('threads').get('t1') as string)).toMatchObject({ id: 't1', messages: [{ id: 'm1' }, { id: 'm2' }] });
		expect([...ledger.getMap('applied').keys()].sort()).toEqual(['u-client/old-create', 'u-designer/old-internal']);

		// A retry of a command the earlier code applied is answered from its moved record...
		const all = { ...docs, ledger };
		const stamp = stamps('new', Date.UTC(2026, 10, 20, 11));
		const retry = { type: 'thread.create', commandId: 'old-create', lane: 'client', frameId: 'f1', anchor: { kind: 'frame' }, body: 'Le logo est trop petit', mentions: [] };
		expect(applyCommand(all, retry, stamp(client), MEMBERS)).toEqual({
			ok: true, duplicate: true, effects: { lanes: ['client'], created: [{ kind: 'thread', id: 't1' }, { kind: 'message', id: 'm1' }], mentioned: [] }
		});
		// ...and the migrated entities take commands.
		expect(applyCommand(all, { type: 'thread.reply', commandId: 'n1', threadId: 't1', body: 'Merci', mentions: [] }, stamp(client), MEMBERS).ok).toBe(true);
		expect(applyCommand(all, { type: 'reaction.toggle', commandId: 'n2', threadId: 't1', messageId: 'm1', emoji: '👍' }, stamp(client), MEMBERS).ok).toBe(true);
		expect(applyCommand(all, { type: 'round.decide', commandId: 'n3', roundId: 'r1', decision: 'approved' }, stamp(admin), MEMBERS).ok).toBe(true);
		expect(applyCommand(all, { type: 'frame.add', commandId: 'n4', name: 'C', width: 1, height: 1 }, stamp(designer), MEMBERS).ok).toBe(true);
		const after = readReview(docs, designer);
		expect(after.threads[0]!.messages.map((m) => [m.body, m.reactions])).toEqual([['Le logo est trop petit', { '👍': ['u-designer', 'u-client'] }], ['Corrigé', {}], ['Merci', {}]]);
		expect(after.rounds[0]!.status).toBe('approved');
		expect(after.frames.map((f) => f.name)).toEqual(['Frame f1', 'Frame f2', 'C']);
	});

	it('is idempotent on the nested layout too, in this process and in a fresh replica', () => {
		const docs = nestedLayoutDocs();
		migrateReviewDoc(docs.client);
		const before = Y.encodeStateAsUpdate(docs.client);
		expect(migrateReviewDoc(docs.client)).toEqual({ ok: true, from: 1, migrated: false });
		expect(Y.encodeStateAsUpdate(docs.client)).toEqual(before);
		const replica = new Y.Doc();
		Y.applyUpdate(replica, before);
		expect(migrateReviewDoc(replica)).toEqual({ ok: true, from: 1, migrated: false });
		// Without a ledger the earlier records are dropped: they must leave the synced document either way.
		expect(replica.getMap('applied').size).toBe(0);
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
