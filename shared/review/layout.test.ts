import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { frameOrders, putEntry, readEntries, readEntry } from './layout';
import { ACTORS, reviewHarness } from './testKit';

const { designer, client } = ACTORS;

const aThread = {
	id: 't1', lane: 'client', frameId: 'f1', anchor: { kind: 'frame' }, versionId: null, status: 'open', resolvedBy: null, resolvedAt: null,
	reopenedBy: null, reopenedAt: null, createdBy: { userId: 'u-client', name: 'Fara', role: 'client' }, createdAt: '2026-11-26T09:00:00.000Z', messages: []
} as const;

describe('layout', () => {
	it('stores each entity as one JSON text, replaced whole on every change', () => {
		const r = reviewHarness();
		const frameId = r.ok(designer, { type: 'frame.add', name: 'A', width: 1, height: 1 });
		const versionId = r.ok(designer, { type: 'version.add', label: 'V1', clientVisible: true });
		const threadId = r.ok(client, { type: 'thread.create', lane: 'client', frameId, anchor: { kind: 'frame' }, body: 'Bonjour', mentions: [] });
		r.ok(designer, { type: 'thread.reply', threadId, body: 'Salut', mentions: [] });
		r.ok(designer, { type: 'round.open', versionId, reviewers: ['u-client'], dueDate: '2026-12-15' });
		for (const name of ['frames', 'versions', 'threads', 'rounds']) {
			const values = [...r.docs.client.getMap(name).values()];
			expect(values).toHaveLength(1);
			expect(typeof values[0]).toBe('string');
		}
		expect(JSON.parse(r.docs.client.getMap('threads').get(threadId) as string)).toMatchObject({ id: threadId, messages: [{ body: 'Bonjour' }, { body: 'Salut' }] });
	});

	it('is __proto__-safe: no key of a stored value reaches a prototype, and `__proto__` is no id', () => {
		const doc = new Y.Doc();
		const threads = doc.getMap('threads');
		// JSON text with a `__proto__` key: JSON.parse makes it an own property, which the schema ignores.
		threads.set('t1', JSON.stringify(aThread).replace('{', '{"__proto__":{"polluted":true},'));
		expect(readEntry(doc, 'threads', 't1')).toEqual(aThread);
		expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
		// An object value decoded by lib0 gets its `__proto__` key as a prototype: skipped, not read through it.
		const writer = new Y.Doc();
		const { status: _, ...withoutStatus } = aThread;
		writer.getMap('threads').set('t3', JSON.parse(`{"__proto__":{"status":"open"},${JSON.stringify({ ...withoutStatus, id: 't3' }).slice(1)}`));
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer));
		expect((threads.get('t3') as { status?: string }).status).toBe('open'); // inherited: what a schema would have read
		expect(readEntry(doc, 'threads', 't3')).toBeNull();
		// An entry filed under `__proto__` is never a record.
		threads.set('__proto__', JSON.stringify({ ...aThread, id: '__proto__' }));
		expect(readEntries(doc, 'threads').map((t) => t.id)).toEqual(['t1']);
	});

	it('reads frame order keys once per stored value, and sees values changed by another replica', () => {
		const r = reviewHarness();
		const a = r.ok(designer, { type: 'frame.add', name: 'A', width: 1, height: 1 });
		const b = r.ok(designer, { type: 'frame.add', name: 'B', width: 1, height: 1 });
		const orders = () => Object.fromEntries(frameOrders(r.docs.client).map((f) => [f.id, f.order]));
		expect(orders()).toEqual({ [a]: 'i', [b]: 'i1' });
		const replica = new Y.Doc();
		Y.applyUpdate(replica, Y.encodeStateAsUpdate(r.docs.client));
		replica.transact(() => putEntry(replica, 'frames', { ...readEntry(replica, 'frames', a)!, order: 'z' }));
		replica.transact(() => replica.getMap('frames').delete(b));
		Y.applyUpdate(r.docs.client, Y.encodeStateAsUpdate(replica));
		expect(orders()).toEqual({ [a]: 'z' });
	});
});
