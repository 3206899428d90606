import type { LiveEvent, LoggedEvent } from '../../shared/live/events';
import { LIVE_LOG_KEEP } from '../../shared/live/wire';
import { deleteTogether, existingKeys, padNumber, writeTogether, type LiveStorage } from './LiveStorage';

// Storage layout of a live room's log (other prefixes of the room are DeliveryLedger's and RevocationList's):
//   log:meta              { v: 1, seq, first }: the last sequence number given, and the oldest one kept
//   log:e:<seq 16 digits> the LoggedEvent of that number
//   log:i:<event id>      its sequence number: the index of retained ids that drops a re-sent event
// An event and its index entry are written in one atomic write with the meta, and deleted in one call.
const META_KEY = 'log:meta';
const EVENT_PREFIX = 'log:e:';
const ID_PREFIX = 'log:i:';
const eventKey = (seq: number) => `${EVENT_PREFIX}${padNumber(seq)}`;
const idKey = (id: string) => `${ID_PREFIX}${id}`;

/** Bump when the stored shape changes, and migrate older versions in `open`. */
export const LIVE_LOG_VERSION = 1;
interface LogMeta {
	v: typeof LIVE_LOG_VERSION;
	/** The last sequence number given (0: none yet). */
	seq: number;
	/** The oldest sequence number still stored (`seq + 1` when the log is empty). */
	first: number;
}

export interface LiveLogOptions {
	/** Events kept at least; older ones are pruned. */
	keep?: number;
	/** Pruning waits until this many events beyond `keep` accumulated, then removes them all (in 64-event calls). */
	pruneBatch?: number;
	/** Recent events also kept in memory, so a watcher reconnecting a little behind costs no storage read. */
	tailSize?: number;
	/**
	 * Called with the new events in the same step that makes them readable (`seq` moves), so a watcher that
	 * reads up to `seq` and then listens can neither miss nor receive twice an event (see LiveFeed.join).
	 */
	onCommit?: (events: LoggedEvent[]) => void;
	log?: (message: string, error?: unknown) => void;
}

export interface AppendResult {
	/** The new events with their sequence numbers, in delivery order. */
	appended: LoggedEvent[];
	/** Events dropped because their id is already in the log (or earlier in the same batch). */
	duplicates: number;
	seq: number;
}

/** Where a watcher's `since` stands against the log. */
export type LogPosition = 'ok' | 'too-old' | 'ahead';

/**
 * A live room's ordered, persisted event log. Appends run one at a time, so numbers are given in arrival order
 * without gaps; each resolves only once its events are in storage. Knows nothing of PartyServer.
 */
export class LiveLog {
	private queue: Promise<unknown> = Promise.resolve();
	private tail: LoggedEvent[] = [];
	private readonly keep: number;
	private readonly pruneBatch: number;
	private readonly tailSize: number;
	private readonly log: (message: string, error?: unknown) => void;

	private constructor(
		private readonly storage: LiveStorage,
		private meta: LogMeta,
		private readonly options: LiveLogOptions
	) {
		this.keep = options.keep ?? LIVE_LOG_KEEP;
		this.pruneBatch = options.pruneBatch ?? 500;
		this.tailSize = options.tailSize ?? 1024;
		this.log = options.log ?? ((message, error) => console.error(`[live log] ${message}`, error ?? ''));
	}

	/** Reads the log's meta record (one `get`); events stay in storage until someone asks for them. */
	static async open(storage: LiveStorage, options: LiveLogOptions = {}): Promise<LiveLog> {
		const stored = await storage.get<LogMeta>(META_KEY);
		if (stored && stored.v !== LIVE_LOG_VERSION) throw new Error(`live log format ${String(stored.v)} is not supported by this server (${LIVE_LOG_VERSION}): deploy the newer server`);
		return new LiveLog(storage, stored ?? { v: LIVE_LOG_VERSION, seq: 0, first: 1 }, options);
	}

	/** The last sequence number given (0 for an empty log). */
	get seq(): number {
		return this.meta.seq;
	}

	/** The oldest sequence number kept. */
	get first(): number {
		return this.meta.first;
	}

	/** `ok` when every event after `since` is still here; otherwise the watcher needs a reset. */
	position(since: number): LogPosition {
		if (since > this.meta.seq) return 'ahead';
		return since < this.meta.first - 1 ? 'too-old' : 'ok';
	}

	/**
	 * Appends the events whose id is new, in order, and `extra` entries in the same atomic write (the delivery's
	 * record, see DeliveryLedger). `extra` may be a function of the new events only, for entries that a re-sent
	 * event must not write again (RevocationList). Resolves once stored; rejects, with nothing committed, if the write failed.
	 */
	append(events: readonly LiveEvent[], extra: Record<string, unknown> | ((fresh: readonly LiveEvent[]) => Record<string, unknown>) = {}): Promise<AppendResult> {
		return this.enqueue(async () => {
			const fresh = await this.dropDuplicates(events);
			const appended = fresh.map((event, i): LoggedEvent => ({ ...event, seq: this.meta.seq + 1 + i }));
			const next: LogMeta = appended.length > 0 ? { ...this.meta, seq: this.meta.seq + appended.length } : this.meta;
			const entries: Record<string, unknown> = { ...(typeof extra === 'function' ? extra(fresh) : extra) };
			for (const event of appended) {
				entries[eventKey(event.seq)] = event;
				entries[idKey(event.id)] = event.seq;
			}
			if (next !== this.meta) entries[META_KEY] = next;
			if (Object.keys(entries).length > 0) await writeTogether(this.storage, entries);
			// Synchronously from here: the new `seq` and onCommit happen in one step.
			this.meta = next;
			this.tail.push(...appended);
			if (this.tail.length > this.tailSize) this.tail.splice(0, this.tail.length - this.tailSize);
			if (appended.length > 0) this.notify(appended);
			if (this.meta.seq - this.meta.first + 1 > this.keep + this.pruneBatch) {
				void this.enqueue(() => this.prune()).catch((error) => this.log('pruning failed (retried after the next append)', error));
			}
			return { appended, duplicates: events.length - appended.length, seq: this.meta.seq };
		});
	}

	/**
	 * Up to `limit` events with `after < seq <= upTo`, in order. May return fewer, or start later than `after + 1`,
	 * when pruning removed them meanwhile: callers check for the gap.
	 */
	async read(after: number, upTo: number, limit: number): Promise<LoggedEvent[]> {
		if (upTo <= after || limit <= 0) return [];
		const oldest = this.tail[0];
		if (oldest && oldest.seq <= after + 1) {
			const start = after + 1 - oldest.seq;
			return this.tail.slice(start, start + Math.min(limit, upTo - after));
		}
		const page = await this.storage.list<LoggedEvent>({ start: eventKey(after + 1), end: eventKey(upTo + 1), limit });
		return [...page.values()];
	}

	/** Resolves when every append and pruning queued so far has finished (tests, shutdown). */
	async idle(): Promise<void> {
		await this.queue.catch(() => {});
	}

	private async dropDuplicates(events: readonly LiveEvent[]): Promise<LiveEvent[]> {
		const ids = [...new Set(events.map((e) => e.id))];
		// One storage call per 128 ids rather than one per id.
		const stored = await existingKeys(this.storage, ids.map(idKey));
		const seen = new Set(ids.filter((id) => stored.has(idKey(id))));
		const fresh: LiveEvent[] = [];
		for (const event of events) {
			if (seen.has(event.id)) continue;
			seen.add(event.id);
			fresh.push(event);
		}
		return fresh;
	}

	/**
	 * Keeps the last `keep` events. The new `first` is stored before anything is deleted, so a crash in between
	 * leaves unreachable keys (deleted next time: the scan starts at the beginning of the log), never a log whose
	 * `first` points at a deleted event.
	 */
	private async prune(): Promise<void> {
		const first = this.meta.seq - this.keep + 1;
		if (first > this.meta.first) {
			const next: LogMeta = { ...this.meta, first };
			await this.storage.put({ [META_KEY]: next });
			this.meta = next;
			this.tail = this.tail.filter((e) => e.seq >= first);
		}
		for (;;) {
			// 64 events and their 64 index entries per delete call (128 keys).
			const page = await this.storage.list<LoggedEvent>({ prefix: EVENT_PREFIX, end: eventKey(this.meta.first), limit: 64 });
			if (page.size === 0) return;
			const keys: string[] = [];
			for (const [key, event] of page) keys.push(key, idKey(event.id));
			await deleteTogether(this.storage, keys);
		}
	}

	private notify(events: LoggedEvent[]): void {
		try {
			this.options.onCommit?.(events);
		} catch (error) {
			this.log('a commit listener failed', error);
		}
	}

	private enqueue<T>(task: () => Promise<T>): Promise<T> {
		const run = this.queue.then(task, task);
		this.queue = run.catch(() => {});
		return run;
	}
}
