import * as Y from 'yjs';
import { splitBytes } from './bytes';
import { readStoredDoc } from './readStoredDoc';
import { DO_LIMITS, type StorageLike } from './StorageLike';
import { STORAGE_FORMAT_VERSION, assertDocId, docPrefix, logKey, metaKey, snapshotKeys, type DocMeta } from './storageLayout';

/** Transaction origin of the updates `load` applies, so a room's `doc.on('update')` can skip them. */
/** Milliseconds for stats (in workerd the clock only moves across I/O, so a pure computation measures 0). */
const elapsedClock = (): number => performance.now();

export const STORAGE_ORIGIN = Symbol('DocStore.load');

/** Payload bytes per stored value: 1 KiB under Durable Objects' 128 KiB for the structured-clone header. */
export const DEFAULT_MAX_VALUE_BYTES = DO_LIMITS.maxValueBytes - 1024;
// ~2 MiB per snapshot put, so an append's write queued behind a compaction waits for a small put, not the whole document.
const SNAPSHOT_CHUNKS_PER_PUT = 16;
// A batch waits for the messages already received (see drain) but starts writing at once when this many
// appends wait: about 64 commands of two updates each, so acks keep flowing in steady steps under load.
const BATCH_WAKE_APPENDS = 128;

export interface DocStoreOptions {
	/** Compact a document once its log has this many entries (default 1,000: replaying them stays a few ms). */
	compactAfterEntries?: number;
	/** ...or this many bytes, or as many bytes as its snapshot if that is larger, which bounds rewriting to about twice the data (default 1 MiB). */
	compactAfterBytes?: number;
	/** Largest payload of one stored value (default and maximum `DEFAULT_MAX_VALUE_BYTES`; tests use small values to exercise chunking). */
	maxValueBytes?: number;
	/** Called when a background compaction fails (it is retried at the next threshold); default `console.error`. */
	onBackgroundError?: (error: unknown, context: string) => void;
}

/** Counters for benchmarks and logs. Durations are `elapsedClock()` deltas: inside workerd the clock only moves across I/O. */
export interface DocStoreStats {
	/** `append` calls accepted. */
	appends: number;
	/** Group commits that succeeded. */
	batches: number;
	/** `storage.put` calls of log entries (a batch needs more than one only above 128 keys). */
	writes: number;
	failedWrites: number;
	/** Payload bytes written, log and snapshots. */
	bytesWritten: number;
	/** Entries and bytes currently in the logs of all documents. */
	logEntries: number;
	logBytes: number;
	/** Updates waiting for the next group commit. */
	queued: number;
	compactions: number;
	lastWriteMs: number;
	maxWriteMs: number;
	lastCompactionMs: number;
	/** Last `load`: total, and the storage part of it (the rest is Yjs applying the update). */
	lastLoadMs: number;
	lastLoadReadMs: number;
}

interface Waiter {
	resolve(): void;
	reject(error: unknown): void;
}

/**
 * A queued item. `waiter` is null for an update re-queued after a failed write (its sender was already
 * told); `update` is null for a `flush` marker.
 */
interface Queued {
	docId: string;
	update: Uint8Array | null;
	waiter: Waiter | null;
}

/** One log entry of a group commit: queued updates of one document, merged, then split into parts. */
interface Entry {
	docId: string;
	seq: number;
	data: Uint8Array;
	parts: Uint8Array[];
	keys: string[];
}

/** What the store knows about a loaded document. */
interface DocState {
	doc: Y.Doc;
	/** The durable switch (null before the first compaction). */
	meta: DocMeta | null;
	nextSeq: number;
	/** Highest snapshot generation ever used; a new snapshot takes the next one, so it never lands on leftovers. */
	generation: number;
	/** Durable entries after `meta.upToSeq`, in order. */
	log: { seq: number; keys: string[]; bytes: number }[];
	logBytes: number;
	/** Keys nothing needs (old or orphaned snapshot chunks, covered or failed entries); deleted after the next switch. */
	garbage: Set<string>;
	compaction: Promise<void> | null;
}

/**
 * Persistence of a room's Yjs documents in Durable Object storage: an append-only log per document with
 * group commit, compacted into chunked snapshots behind a one-key switch. See README.md for the layout
 * and the crash-safety argument.
 *
 * @example
 * const store = await DocStore.open(room.storage);
 * await store.load('notes', doc);                                    // before listening to updates
 * doc.on('update', (update, origin) => {
 *   if (origin !== STORAGE_ORIGIN) store.append('notes', update).then(ack, reportError);
 * });
 */
export class DocStore {
	private readonly docs = new Map<string, DocState>();
	private readonly loading = new Set<string>();
	private queue: Queued[] = [];
	private writer: Promise<void> | null = null;
	/** Ends the writer's wait for more appends early (set while it waits). */
	private wake: (() => void) | null = null;
	/** Compactions run one at a time per room (each encodes a whole document). */
	private compactions: Promise<void> = Promise.resolve();
	private closed = false;
	private readonly counters = {
		appends: 0,
		batches: 0,
		writes: 0,
		failedWrites: 0,
		bytesWritten: 0,
		compactions: 0,
		lastWriteMs: 0,
		maxWriteMs: 0,
		lastCompactionMs: 0,
		lastLoadMs: 0,
		lastLoadReadMs: 0
	};

	private constructor(
		private readonly storage: StorageLike,
		private readonly options: Required<DocStoreOptions>
	) {}

	/** A store over `storage` (one per room). Reads nothing yet: each document is read by `load`. */
	static async open(storage: StorageLike, options: DocStoreOptions = {}): Promise<DocStore> {
		const resolved: Required<DocStoreOptions> = {
			compactAfterEntries: options.compactAfterEntries ?? 1000,
			compactAfterBytes: options.compactAfterBytes ?? 1024 * 1024,
			maxValueBytes: options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES,
			onBackgroundError: options.onBackgroundError ?? ((error, context) => console.error(`[DocStore] ${context}:`, error))
		};
		if (!(resolved.maxValueBytes >= 64 && resolved.maxValueBytes <= DEFAULT_MAX_VALUE_BYTES)) {
			throw new RangeError(`DocStore: maxValueBytes must be between 64 and ${DEFAULT_MAX_VALUE_BYTES}`);
		}
		if (!(resolved.compactAfterEntries >= 1 && resolved.compactAfterBytes >= 0)) {
			throw new RangeError('DocStore: compactAfterEntries must be at least 1 and compactAfterBytes at least 0');
		}
		return new DocStore(storage, resolved);
	}

	/** Largest update `append` accepts: all its parts must fit one atomic put. */
	get maxUpdateBytes(): number {
		return DO_LIMITS.maxKeysPerCall * this.options.maxValueBytes;
	}

	/**
	 * Applies the stored snapshot and log of `docId` to `doc` in one transaction with origin
	 * `STORAGE_ORIGIN`, using a single `list` call, and registers `doc` as the live document that
	 * compaction snapshots. Throws `StoredDocError` for a newer format or damaged storage.
	 */
	async load(docId: string, doc: Y.Doc): Promise<void> {
		assertDocId(docId);
		if (this.docs.has(docId) || this.loading.has(docId)) throw new Error(`DocStore: document '${docId}' is already loaded`);
		this.loading.add(docId);
		try {
			const started = elapsedClock();
			const stored = readStoredDoc(docId, await this.storage.list({ prefix: docPrefix(docId) }));
			this.counters.lastLoadReadMs = elapsedClock() - started;
			doc.transact(() => {
				if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
				for (const entry of stored.entries) Y.applyUpdate(doc, entry.data);
			}, STORAGE_ORIGIN);
			const log = stored.entries.map(({ seq, keys, data }) => ({ seq, keys, bytes: data.byteLength }));
			this.docs.set(docId, {
				doc,
				meta: stored.meta,
				nextSeq: stored.maxSeq + 1,
				generation: stored.maxGeneration,
				log,
				logBytes: log.reduce((sum, e) => sum + e.bytes, 0),
				garbage: new Set(stored.garbage),
				compaction: null
			});
			this.counters.lastLoadMs = elapsedClock() - started;
		} finally {
			this.loading.delete(docId);
		}
		this.maybeCompact(docId);
	}

	/**
	 * Queues `update` of a loaded document; resolves once it, and everything appended before it, is in
	 * storage. Call it only after `update` is applied to the loaded doc (as `doc.on('update')` does):
	 * compaction snapshots that doc and then drops the log entries it covers.
	 *
	 * When the write fails the promise rejects, but the update is not dropped: it is written first with
	 * the next batch, so a later acknowledgement still implies that every earlier update is stored.
	 */
	append(docId: string, update: Uint8Array): Promise<void> {
		if (this.closed) return Promise.reject(new Error('DocStore: the store is closed'));
		if (!this.docs.has(docId)) return Promise.reject(new Error(`DocStore: load('${docId}', doc) before appending to it`));
		if (update.byteLength > this.maxUpdateBytes) {
			return Promise.reject(new RangeError(`DocStore: an update of ${update.byteLength} bytes is over the ${this.maxUpdateBytes} bytes one atomic write holds; refuse such updates before applying them`));
		}
		this.counters.appends++;
		return new Promise((resolve, reject) => {
			this.queue.push({ docId, update, waiter: { resolve, reject } });
			this.startWriter();
			if (this.queue.length >= BATCH_WAKE_APPENDS) this.wake?.();
		});
	}

	/**
	 * Snapshots `docId` now (the store also does it when the log passes the thresholds). Resolves when the
	 * new snapshot is current and the old data is deleted; concurrent calls share one run.
	 */
	compact(docId: string): Promise<void> {
		const state = this.docs.get(docId);
		if (!state) return Promise.reject(new Error(`DocStore: load('${docId}', doc) before compacting it`));
		// Nothing logged since the last snapshot: re-encoding the document would only cost time.
		if (!state.compaction && state.log.length === 0 && !this.queue.some((q) => q.docId === docId)) return Promise.resolve();
		if (!state.compaction) {
			const run = this.compactions.then(() => this.compactNow(docId, state));
			state.compaction = run.finally(() => {
				state.compaction = null;
			});
			this.compactions = state.compaction.catch(() => undefined);
		}
		return state.compaction;
	}

	/** Resolves when everything queued so far (including updates whose append was rejected) is written and compactions are done. */
	async flush(): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.queue.push({ docId: '', update: null, waiter: { resolve, reject } });
			this.startWriter();
		});
		await this.compactions;
	}

	/** Flushes, then refuses further appends. */
	async close(): Promise<void> {
		this.closed = true;
		await this.flush();
	}

	stats(): DocStoreStats {
		let logEntries = 0;
		let logBytes = 0;
		for (const state of this.docs.values()) {
			logEntries += state.log.length;
			logBytes += state.logBytes;
		}
		return { ...this.counters, logEntries, logBytes, queued: this.queue.filter((q) => q.update).length };
	}

	private startWriter(): void {
		this.writer ??= this.drain();
	}

	/** The group-commit loop: while anyone waits, take the whole queue and write it as one batch. */
	private async drain(): Promise<void> {
		// Wait one turn of the event loop so the appends of messages already received join this batch: under
		// workerd each put costs ~0.4 ms of CPU, so one put per command capped a room at ~1,400 commands/s.
		await new Promise<void>((resolve) => {
			this.wake = resolve;
			setTimeout(resolve, 0);
		});
		this.wake = null;
		try {
			// Re-queued updates alone do not start a write: they ride with the next append or flush, so a dead storage is not retried in a loop.
			while (this.queue.some((q) => q.waiter)) await this.commit(this.queue.splice(0));
		} finally {
			this.writer = null; // in the same tick as the last check, so no append is left waiting
		}
	}

	/** Writes one batch; settles its waiters and never throws. */
	private async commit(batch: Queued[]): Promise<void> {
		const started = elapsedClock();
		const waiters = batch.flatMap((q) => (q.waiter ? [q.waiter] : []));
		const entries = this.toEntries(batch);
		try {
			for (const put of packPuts(entries)) {
				await this.storage.put(put);
				this.counters.writes++;
			}
		} catch (error) {
			this.counters.failedWrites++;
			this.requeue(entries);
			for (const waiter of waiters) waiter.reject(error);
			return;
		}
		for (const entry of entries) {
			const state = this.docs.get(entry.docId)!;
			this.counters.bytesWritten += entry.data.byteLength;
			// A compaction switched while this write was in flight: its snapshot already holds the entry.
			if (state.meta && entry.seq <= state.meta.upToSeq) entry.keys.forEach((key) => state.garbage.add(key));
			else {
				state.log.push({ seq: entry.seq, keys: entry.keys, bytes: entry.data.byteLength });
				state.logBytes += entry.data.byteLength;
			}
		}
		if (entries.length > 0) {
			this.counters.batches++;
			this.counters.lastWriteMs = elapsedClock() - started;
			this.counters.maxWriteMs = Math.max(this.counters.maxWriteMs, this.counters.lastWriteMs);
		}
		for (const waiter of waiters) waiter.resolve();
		for (const docId of new Set(entries.map((e) => e.docId))) this.maybeCompact(docId);
	}

	/** Groups a batch per document, merges runs of small updates and gives each entry the next sequence number. */
	private toEntries(batch: Queued[]): Entry[] {
		const perDoc = new Map<string, Uint8Array[]>();
		for (const { docId, update } of batch) {
			if (!update) continue;
			const updates = perDoc.get(docId);
			if (updates) updates.push(update);
			else perDoc.set(docId, [update]);
		}
		const entries: Entry[] = [];
		for (const [docId, updates] of perDoc) {
			const state = this.docs.get(docId)!;
			for (const data of mergeRuns(updates, this.options.maxValueBytes)) {
				const seq = state.nextSeq++;
				const parts = splitBytes(data, this.options.maxValueBytes);
				entries.push({ docId, seq, data, parts, keys: parts.map((_, i) => logKey(docId, seq, i)) });
			}
		}
		return entries;
	}

	/**
	 * After a failed write: the entries go back to the front of the queue (the next batch writes them first,
	 * under new sequence numbers) and their old keys become garbage in case the failed put committed anyway.
	 */
	private requeue(entries: Entry[]): void {
		for (const entry of entries) entry.keys.forEach((key) => this.docs.get(entry.docId)!.garbage.add(key));
		this.queue.unshift(...entries.map((e) => ({ docId: e.docId, update: e.data, waiter: null })));
	}

	private maybeCompact(docId: string): void {
		const state = this.docs.get(docId)!;
		if (state.compaction) return;
		const byteLimit = Math.max(this.options.compactAfterBytes, state.meta?.bytes ?? 0);
		if (state.log.length >= this.options.compactAfterEntries || (state.log.length > 0 && state.logBytes >= byteLimit)) {
			this.compact(docId).catch((error) => this.options.onBackgroundError(error, `compacting '${docId}'`));
		}
	}

	/**
	 * Writes a snapshot under a new generation, switches the meta record to it, then deletes what it
	 * replaces. The order is the crash-safety argument (README.md): until the switch is durable nothing is
	 * deleted, and after it the new snapshot alone is complete.
	 */
	private async compactNow(docId: string, state: DocState): Promise<void> {
		const started = elapsedClock();
		// Captured in one synchronous step. Every appended update was applied to the doc before `append`,
		// so the snapshot holds every entry numbered up to `upToSeq`, whether written or still in flight.
		const generation = ++state.generation;
		const upToSeq = state.nextSeq - 1;
		const coveredGarbage = [...state.garbage];
		const snapshot = Y.encodeStateAsUpdate(state.doc);
		const chunks = splitBytes(snapshot, this.options.maxValueBytes);
		const keys = snapshotKeys(docId, generation, chunks.length);
		const meta: DocMeta = { formatVersion: STORAGE_FORMAT_VERSION, generation, chunks: chunks.length, bytes: snapshot.byteLength, upToSeq };
		try {
			for (let i = 0; i < chunks.length; i += SNAPSHOT_CHUNKS_PER_PUT) {
				await this.storage.put(Object.fromEntries(keys.slice(i, i + SNAPSHOT_CHUNKS_PER_PUT).map((key, j) => [key, chunks[i + j]])));
			}
			await this.storage.put({ [metaKey(docId)]: meta }); // the switch
		} catch (error) {
			// Nothing references these chunks; should the switch have committed despite the error, the next switch supersedes it.
			keys.forEach((key) => state.garbage.add(key));
			throw error;
		}
		this.counters.bytesWritten += snapshot.byteLength;
		const previous = state.meta;
		state.meta = meta;

		const doomed = [...coveredGarbage];
		coveredGarbage.forEach((key) => state.garbage.delete(key));
		if (previous) doomed.push(...snapshotKeys(docId, previous.generation, previous.chunks));
		const kept = state.log.filter((entry) => entry.seq > upToSeq);
		for (const entry of state.log) if (entry.seq <= upToSeq) doomed.push(...entry.keys);
		state.log = kept;
		state.logBytes = kept.reduce((sum, e) => sum + e.bytes, 0);
		try {
			for (let i = 0; i < doomed.length; i += DO_LIMITS.maxKeysPerCall) await this.storage.delete(doomed.slice(i, i + DO_LIMITS.maxKeysPerCall));
		} catch (error) {
			doomed.forEach((key) => state.garbage.add(key)); // unreferenced either way; retried after the next switch
			throw error;
		}
		this.counters.compactions++;
		this.counters.lastCompactionMs = elapsedClock() - started;
	}
}

/**
 * Merges consecutive updates while the merged run stays within one stored value (bigger updates stay
 * alone: merging them saves nothing). Falls back to the separate updates if Yjs cannot merge them.
 */
function mergeRuns(updates: Uint8Array[], maxBytes: number): Uint8Array[] {
	const runs: Uint8Array[][] = [];
	let size = Infinity;
	for (const update of updates) {
		if (size + update.byteLength > maxBytes) {
			runs.push([]);
			size = 0;
		}
		runs[runs.length - 1].push(update);
		size += update.byteLength;
	}
	return runs.flatMap((run) => {
		if (run.length === 1) return run;
		try {
			return [Y.mergeUpdates(run)];
		} catch {
			return run;
		}
	});
}

/** Packs entries into puts of at most 128 keys; an entry's parts always share one put, so an entry is stored whole or not at all. */
function packPuts(entries: Entry[]): Record<string, Uint8Array>[] {
	const puts: Record<string, Uint8Array>[] = [];
	let current: Record<string, Uint8Array> = {};
	let count = 0;
	for (const entry of entries) {
		if (count + entry.parts.length > DO_LIMITS.maxKeysPerCall) {
			puts.push(current);
			current = {};
			count = 0;
		}
		entry.parts.forEach((part, i) => (current[entry.keys[i]] = part));
		count += entry.parts.length;
	}
	if (count > 0) puts.push(current);
	return puts;
}
