import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocStore } from './DocStore';
import { docStoreContract, liveDoc, reload } from './docStoreContract';
import { MemoryStorage, SimulatedCrash, SimulatedFailure } from './MemoryStorage';
import { StoredDocError } from './readStoredDoc';
import { snapshotKey } from './storageLayout';

docStoreContract('MemoryStorage', async () => {
	let current = new MemoryStorage();
	return {
		storage: current,
		reopen: async () => (current = current.restart())
	};
});

describe('DocStore on MemoryStorage', () => {
	it('DS5 a failing put rejects exactly the appends of that write; later appends succeed and carry the rejected updates', async () => {
		const memory = new MemoryStorage(undefined, { delayMs: 5 });
		const store = await DocStore.open(memory);
		const { doc, acks } = await liveDoc(store, 'notes');
		const map = doc.getMap('m');
		map.set('a', 1);
		await acks[0];

		memory.failNext(1, 'put');
		map.set('b', 2);
		map.set('c', 3);
		map.set('d', 4);
		await new Promise((resolve) => setTimeout(resolve, 1)); // the failing put is in flight now
		map.set('e', 5);
		const results = await Promise.allSettled(acks);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
		expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(SimulatedFailure);
		expect(store.stats().failedWrites).toBe(1);

		map.set('f', 6);
		await acks[5];
		// The rejected updates were written with the next batch: storage matches the live doc.
		expect((await reload(memory.restart(), 'notes')).getMap('m').toJSON()).toEqual({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 });
	});

	it('DS4 a failed compaction leaves the previous snapshot and the log readable, and the next one cleans up', async () => {
		const memory = new MemoryStorage();
		const errors: string[] = [];
		const store = await DocStore.open(memory, { maxValueBytes: 256, onBackgroundError: (_, context) => errors.push(context) });
		const { doc, acks } = await liveDoc(store, 'notes');
		for (let i = 0; i < 40; i++) doc.getMap('m').set(`k${i}`, 'x'.repeat(30));
		await Promise.all(acks);
		await store.compact('notes');
		doc.getMap('m').set('after', true);
		await Promise.all(acks);

		memory.failNext(1, 'put'); // the second chunk put of the next snapshot
		memory.failNext(1, 'put');
		await expect(store.compact('notes')).rejects.toBeInstanceOf(SimulatedFailure);
		expect((await reload(memory.restart(), 'notes')).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());

		await store.compact('notes');
		const generations = new Set(memory.keys().filter((k) => k.includes(':snap:')).map((k) => k.split(':')[3]));
		expect(generations.size).toBe(1);
		expect(memory.keys().filter((k) => k.includes(':log:'))).toEqual([]);
		expect((await reload(memory.restart(), 'notes')).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
	});

	it('DS2 DS3 a batch over 128 keys takes several puts; a crash between them leaves a loadable prefix', async () => {
		const memory = new MemoryStorage();
		const store = await DocStore.open(memory, { maxValueBytes: 100, compactAfterEntries: 1_000_000, compactAfterBytes: 1e12 });
		const { doc, acks } = await liveDoc(store, 'notes');
		for (let i = 0; i < 300; i++) doc.getMap('m').set(`k${i}`, `value ${i} `.repeat(8));
		await Promise.all(acks);
		expect(memory.count('put')).toBeGreaterThan(2);
		expect((await reload(memory.restart(), 'notes')).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());

		const crashing = new MemoryStorage();
		const second = await DocStore.open(crashing, { maxValueBytes: 100 });
		const live = await liveDoc(second, 'notes');
		crashing.crashAt(2); // the first put of the batch commits, the second dies
		for (let i = 0; i < 300; i++) live.doc.getMap('m').set(`k${i}`, `value ${i} `.repeat(8));
		const settled = await Promise.allSettled(live.acks);
		expect(settled.every((r) => r.status === 'rejected' && r.reason instanceof SimulatedCrash)).toBe(true);
		const reloaded = await reload(crashing.restart(), 'notes');
		const keys = [...reloaded.getMap('m').keys()];
		expect(reloaded.store.pendingStructs).toBeNull();
		expect(keys.length).toBeGreaterThan(0);
		expect(keys.length).toBeLessThan(300);
	});

	it('reports a damaged snapshot instead of loading an empty document', async () => {
		const memory = new MemoryStorage();
		const store = await DocStore.open(memory, { maxValueBytes: 100 });
		const { doc, acks } = await liveDoc(store, 'notes');
		doc.getText('t').insert(0, 'x'.repeat(1000));
		await Promise.all(acks);
		await store.compact('notes');
		const damaged = memory.restart();
		await damaged.delete([snapshotKey('notes', 1, 3)]);
		await expect((await DocStore.open(damaged)).load('notes', new Y.Doc())).rejects.toThrow(StoredDocError);
	});
});

describe('DocStore compaction when idle', () => {
	it('does not rewrite a snapshot when nothing was logged since the last one', async () => {
		const storage = new MemoryStorage();
		const store = await DocStore.open(storage);
		const doc = new Y.Doc();
		await store.load('notes', doc);
		doc.on('update', (update: Uint8Array) => void store.append('notes', update));
		doc.getText('notes').insert(0, 'bonjour');
		await store.flush();
		await store.compact('notes');
		const writesAfterFirst = store.stats().compactions;
		await store.compact('notes');
		await store.compact('notes');
		expect(store.stats().compactions).toBe(writesAfterFirst);
		expect(writesAfterFirst).toBe(1);
	});
});
