import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CountingStorage } from './CountingStorage';
import { DocStore, STORAGE_ORIGIN, type DocStoreOptions } from './DocStore';
import { StoredDocError } from './readStoredDoc';
import type { StorageLike } from './StorageLike';
import { docPrefix, logKey, metaKey, snapshotKey } from './storageLayout';

/** What the contract needs from a storage implementation. */
export interface StorageHarness {
	/** Empty storage for one test. */
	storage: StorageLike;
	/** The committed contents as a new room process sees them, once the test has dropped its store. */
	reopen(): Promise<StorageLike>;
}

/** A loaded document whose local updates are appended, as a room does it. */
export interface LiveDoc {
	doc: Y.Doc;
	/** One promise per local update, in order. */
	acks: Promise<void>[];
}

/** Loads `docId` into a fresh doc and appends every local update from then on. */
export async function liveDoc(store: DocStore, docId: string): Promise<LiveDoc> {
	const doc = new Y.Doc();
	await store.load(docId, doc);
	const acks: Promise<void>[] = [];
	doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== STORAGE_ORIGIN) acks.push(store.append(docId, update));
	});
	return { doc, acks };
}

/** A fresh store on `storage` with `docId` loaded into a new doc. */
export async function reload(storage: StorageLike, docId: string, options?: DocStoreOptions): Promise<Y.Doc> {
	const doc = new Y.Doc();
	await (await DocStore.open(storage, options)).load(docId, doc);
	return doc;
}

const content = (doc: Y.Doc) => ({ map: doc.getMap('m').toJSON(), text: doc.getText('t').toString() });

/** Random bytes as text, so nothing in the test data is smaller than it looks. */
function noise(length: number, seed = 1): string {
	let x = seed;
	let out = '';
	while (out.length < length) {
		x = (x * 1103515245 + 12345) >>> 0;
		out += (x >>> 8).toString(36);
	}
	return out.slice(0, length);
}

/**
 * The behaviour every storage behind `DocStore` must give: run it against `MemoryStorage` in unit tests
 * and against real workerd storage in the room's integration tests.
 */
export function docStoreContract(name: string, makeHarness: () => Promise<StorageHarness>): void {
	describe(`DocStore contract (${name})`, () => {
		it('round-trips several documents, leaving keys it does not own alone', async () => {
			const harness = await makeHarness();
			await harness.storage.put({ 'v1#other#update': new Uint8Array([1, 2, 3]) });
			const store = await DocStore.open(harness.storage, { compactAfterEntries: 7 });
			const ids = ['notes', 'notes-2', 'client', 'internal', 'a_b', 'Z9'];
			const live = await Promise.all(ids.map((id) => liveDoc(store, id)));
			for (let i = 0; i < 60; i++) {
				const { doc } = live[i % live.length];
				doc.transact(() => {
					doc.getMap('m').set(`k${i}`, { i, label: `item ${i}` });
					doc.getText('t').insert(0, `${i};`);
				});
				if (i % 9 === 0) await live[0].acks.at(-1);
			}
			await Promise.all(live.flatMap((l) => l.acks));
			await store.flush();

			const storage = await harness.reopen();
			for (const [i, id] of ids.entries()) expect(content(await reload(storage, id)), id).toEqual(content(live[i].doc));
			expect([...(await storage.list({ prefix: 'v1#' })).keys()]).toEqual(['v1#other#update']);
		});

		it('DS6 group commit: 1,000 appends issued at once take a handful of puts, all resolve, and reload equal', async () => {
			const harness = await makeHarness();
			const counting = new CountingStorage(harness.storage);
			const store = await DocStore.open(counting);
			const { doc, acks } = await liveDoc(store, 'notes');
			for (let i = 0; i < 1000; i++) doc.getMap('m').set(`k${i}`, i);
			await Promise.all(acks);
			console.info(`[DocStore] 1,000 synchronous appends: ${counting.puts} put(s), ${store.stats().batches} batch(es)`);
			expect(acks).toHaveLength(1000);
			expect(counting.puts).toBeLessThanOrEqual(5);
			expect(content(await reload(await harness.reopen(), 'notes'))).toEqual(content(doc));
		});

		it('DS6 group commit: appends arriving while a write is in flight share the next one', async () => {
			const harness = await makeHarness();
			const counting = new CountingStorage(harness.storage);
			const store = await DocStore.open(counting, { compactAfterEntries: 1_000_000, compactAfterBytes: 1e12 });
			const { doc, acks } = await liveDoc(store, 'notes');
			// Bursts of 10 edits, each burst issued without waiting for the previous one.
			for (let i = 0; i < 500; i++) {
				doc.getMap('m').set(`k${i}`, i);
				if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 0));
			}
			await Promise.all(acks);
			console.info(`[DocStore] 500 appends in bursts of 10: ${counting.puts} puts`);
			expect(counting.puts).toBeLessThan(100);
			expect(content(await reload(await harness.reopen(), 'notes'))).toEqual(content(doc));
		});

		it('DS3 value limit: a 1 MB update is chunked under 128 KiB and reloads', async () => {
			const harness = await makeHarness();
			const counting = new CountingStorage(harness.storage);
			const store = await DocStore.open(counting);
			const { doc, acks } = await liveDoc(store, 'notes');
			doc.getText('t').insert(0, noise(1_000_000));
			await Promise.all(acks);
			expect(counting.withinLimits).toBe(true);
			const logKeys = [...(await harness.storage.list({ prefix: 'doc:notes:log:' })).keys()];
			expect(logKeys.length).toBeGreaterThanOrEqual(8);
			expect(content(await reload(await harness.reopen(), 'notes'))).toEqual(content(doc));
		});

		it('DS7 one read: a 10,000-entry document compacts into few chunks and loads with one list call', async () => {
			const harness = await makeHarness();
			const counting = new CountingStorage(harness.storage);
			const store = await DocStore.open(counting);
			const { doc, acks } = await liveDoc(store, 'notes');
			const threads = doc.getMap('m');
			for (let batch = 0; batch < 100; batch++) {
				doc.transact(() => {
					for (let i = batch * 100; i < batch * 100 + 100; i++) {
						threads.set(`thread-${i}`, { id: i, author: `user-${i % 17}`, status: i % 3 ? 'open' : 'resolved', body: noise(240, i) });
					}
				});
			}
			await Promise.all(acks);
			const compaction = store.compact('notes');
			// An append issued while the snapshot is being written is acknowledged without waiting for it.
			const startedAppend = performance.now();
			threads.set('during-compaction', true);
			await acks.at(-1);
			const appendMs = performance.now() - startedAppend;
			await compaction;
			await store.flush();
			expect(counting.withinLimits).toBe(true);

			const storage = await harness.reopen();
			const rows = await storage.list({ prefix: docPrefix('notes') });
			const snapshotBytes = [...rows.values()].reduce<number>((sum, v) => sum + (v instanceof Uint8Array ? v.byteLength : 0), 0);
			// Loaded three times: the first pays for cold code paths, as a freshly started room does.
			const timings: string[] = [];
			let loaded = new Y.Doc();
			let lists = 0;
			for (let run = 0; run < 3; run++) {
				const reopened = new CountingStorage(storage);
				const loader = await DocStore.open(reopened);
				loaded = new Y.Doc();
				await loader.load('notes', loaded);
				const { lastLoadMs, lastLoadReadMs } = loader.stats();
				timings.push(`${lastLoadMs.toFixed(1)} ms (storage ${lastLoadReadMs.toFixed(1)} ms)`);
				lists = reopened.lists;
			}
			console.info(
				`[DocStore] 10,000-entry doc: ${(snapshotBytes / 1e6).toFixed(2)} MB in ${rows.size} keys; load ${timings.join(', ')}; ` +
					`compaction ${store.stats().lastCompactionMs.toFixed(1)} ms; an append during it acked in ${appendMs.toFixed(1)} ms`
			);
			expect(lists).toBe(1);
			expect(rows.size).toBeLessThan(snapshotBytes / 100_000 + 4);
			expect(threads.size).toBe(10_001);
			expect(content(loaded)).toEqual(content(doc));
		});

		it('DS4 compaction keeps appends made while it runs and deletes what each new snapshot replaces', async () => {
			const harness = await makeHarness();
			const store = await DocStore.open(harness.storage, { compactAfterEntries: 5, maxValueBytes: 512 });
			const { doc, acks } = await liveDoc(store, 'notes');
			for (let i = 0; i < 200; i++) {
				doc.getMap('m').set(`k${i}`, noise(40, i));
				if (i % 3 === 0) await acks.at(-1);
				if (i % 50 === 0) void store.compact('notes');
			}
			await Promise.all(acks);
			await store.flush();
			expect(store.stats().compactions).toBeGreaterThan(5);

			const storage = await harness.reopen();
			const keys = [...(await storage.list({ prefix: docPrefix('notes') })).keys()];
			const generations = new Set(keys.filter((k) => k.includes(':snap:')).map((k) => k.split(':')[3]));
			expect(generations.size).toBe(1);
			expect(keys.filter((k) => k.includes(':log:')).length).toBeLessThan(10);
			expect(content(await reload(storage, 'notes'))).toEqual(content(doc));
		});

		it('DS2 leftovers of interrupted compactions are ignored on load and deleted at the next one', async () => {
			const harness = await makeHarness();
			const store = await DocStore.open(harness.storage);
			const { doc, acks } = await liveDoc(store, 'notes');
			doc.getMap('m').set('a', 1);
			await Promise.all(acks);
			await store.compact('notes');
			// Junk that would break a load if it were read: a covered log entry and an orphaned generation.
			const leftovers = [logKey('notes', 1, 0), snapshotKey('notes', 99, 0)];
			await harness.storage.put(Object.fromEntries(leftovers.map((key) => [key, new Uint8Array([255, 255, 255])])));

			const storage = await harness.reopen();
			const second = await DocStore.open(storage);
			const again = await liveDoc(second, 'notes');
			expect(content(again.doc)).toEqual(content(doc));
			again.doc.getMap('m').set('b', 2);
			await Promise.all(again.acks);
			await second.compact('notes');
			const keys = [...(await storage.list({ prefix: docPrefix('notes') })).keys()];
			expect(keys.filter((k) => leftovers.includes(k))).toEqual([]);
			expect(keys).toContain(snapshotKey('notes', 100, 0)); // generations never reuse a leftover's number
			expect(content(await reload(storage, 'notes'))).toEqual({ map: { a: 1, b: 2 }, text: '' });
		});

		it('DS8 a document stored in a newer format is refused, clearly', async () => {
			const harness = await makeHarness();
			await harness.storage.put({ [metaKey('notes')]: { formatVersion: 2, generation: 1, chunks: 0, bytes: 0, upToSeq: 0 } });
			const store = await DocStore.open(harness.storage);
			await expect(store.load('notes', new Y.Doc())).rejects.toThrow(StoredDocError);
			await expect(store.load('notes', new Y.Doc())).rejects.toThrow(/format 2 by a newer server/);
		});

		it('refuses bad ids, a second load, and appends to documents it has not loaded', async () => {
			const harness = await makeHarness();
			const store = await DocStore.open(harness.storage);
			await expect(store.load('no:colons', new Y.Doc())).rejects.toThrow(/invalid document id/);
			await expect(store.load('', new Y.Doc())).rejects.toThrow(/invalid document id/);
			await expect(store.append('notes', new Uint8Array([0, 0]))).rejects.toThrow(/load\('notes', doc\) before appending/);
			await store.load('notes', new Y.Doc());
			await expect(store.load('notes', new Y.Doc())).rejects.toThrow(/already loaded/);
			await expect(store.append('notes', new Uint8Array(store.maxUpdateBytes + 1))).rejects.toThrow(RangeError);
			await store.close();
			await expect(store.append('notes', new Uint8Array([0, 0]))).rejects.toThrow(/closed/);
		});
	});
}
