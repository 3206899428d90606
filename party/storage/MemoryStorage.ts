import { serialize } from 'node:v8';
import { DO_LIMITS, type StorageLike, type StorageListOptions } from './StorageLike';

/** What a storage call was, as seen by fault injection and by `operations`. */
export interface StorageOperation {
	kind: 'get' | 'list' | 'put' | 'delete';
	keys: string[];
}

/** Thrown by every call from the crash point on: the process is "dead". */
export class SimulatedCrash extends Error {
	constructor(readonly operation: StorageOperation) {
		super(`simulated crash during ${operation.kind} ${operation.keys.slice(0, 3).join(', ')}${operation.keys.length > 3 ? ', …' : ''}`);
		this.name = 'SimulatedCrash';
	}
}

/** A transient storage error (the store must survive it). */
export class SimulatedFailure extends Error {
	constructor(readonly operation: StorageOperation) {
		super(`simulated ${operation.kind} failure`);
		this.name = 'SimulatedFailure';
	}
}

export interface MemoryStorageOptions {
	/** Each call resolves after this many milliseconds; 0 (the default) resolves on the next macrotask, like real I/O. */
	delayMs?: number;
}

/**
 * In-memory `StorageLike` with Durable Object semantics, for unit tests: values are structured-cloned on
 * the way in and out, `list` is sorted, `put(entries)` is atomic, and the 128-key and 128 KiB limits throw
 * as workerd does, so a test catches a store that would break in production.
 *
 * Fault injection: `failNext` makes calls fail once (the store must recover); `crashAt` kills the
 * "process" at a chosen call (that call and every later one throw `SimulatedCrash`), and `restart()`
 * hands the committed contents to a fresh instance, as a new Durable Object instance would see them.
 */
export class MemoryStorage implements StorageLike {
	/** Every call made, in order (calls refused by a crash included). */
	readonly operations: StorageOperation[] = [];
	private crashPlan: { at: number; applied: boolean } | null = null;
	private failures: { kind: StorageOperation['kind'] | 'any'; remaining: number } | null = null;
	private crashedDuring: StorageOperation | null = null;

	constructor(
		private readonly data = new Map<string, unknown>(),
		private readonly options: MemoryStorageOptions = {}
	) {}

	/** The call that crashed the storage, or null while it is alive. */
	get crashed(): StorageOperation | null {
		return this.crashedDuring;
	}

	/**
	 * Crashes on the `n`-th call from now (1 = the next call). With `applied`, that call's writes are
	 * committed first and only the caller never hears back (the crash came after the commit).
	 */
	crashAt(n: number, { applied = false } = {}): void {
		this.crashPlan = { at: this.operations.length + n, applied };
	}

	/** The next `count` calls of `kind` reject with `SimulatedFailure` and change nothing. */
	failNext(count = 1, kind: StorageOperation['kind'] | 'any' = 'any'): void {
		this.failures = { kind, remaining: count };
	}

	/** A fresh storage over a copy of what is committed, without faults: the next process. */
	restart(): MemoryStorage {
		return new MemoryStorage(new Map(this.data), this.options);
	}

	/** Sorted committed keys (test inspection, no fault injection). */
	keys(): string[] {
		return [...this.data.keys()].sort();
	}

	/** Number of calls of `kind` so far. */
	count(kind: StorageOperation['kind']): number {
		return this.operations.filter((op) => op.kind === kind).length;
	}

	async get<T = unknown>(key: string): Promise<T | undefined>;
	async get<T = unknown>(keys: string[]): Promise<Map<string, T>>;
	async get<T = unknown>(keyOrKeys: string | string[]): Promise<T | undefined | Map<string, T>> {
		const keys = typeof keyOrKeys === 'string' ? [keyOrKeys] : keyOrKeys;
		if (keys.length > DO_LIMITS.maxKeysPerCall) throw new RangeError(`get: at most ${DO_LIMITS.maxKeysPerCall} keys per call`);
		await this.enter({ kind: 'get', keys });
		if (typeof keyOrKeys === 'string') return this.data.has(keyOrKeys) ? structuredClone(this.data.get(keyOrKeys) as T) : undefined;
		return new Map(keys.filter((key) => this.data.has(key)).map((key) => [key, structuredClone(this.data.get(key) as T)]));
	}

	async list<T = unknown>(options: StorageListOptions = {}): Promise<Map<string, T>> {
		await this.enter({ kind: 'list', keys: [options.prefix ?? options.start ?? ''] });
		let keys = [...this.data.keys()].sort().filter((key) => matches(key, options));
		if (options.reverse) keys.reverse();
		if (options.limit !== undefined) keys = keys.slice(0, options.limit);
		return new Map(keys.map((key) => [key, structuredClone(this.data.get(key) as T)]));
	}

	async put<T>(entries: Record<string, T>): Promise<void> {
		const keys = Object.keys(entries);
		// Validate before anything is written: a refused put changes nothing, like workerd.
		if (keys.length > DO_LIMITS.maxKeysPerCall) throw new RangeError(`Maximum number of keys in a put is ${DO_LIMITS.maxKeysPerCall}, got ${keys.length}.`);
		for (const key of keys) {
			checkKey(key);
			const size = serialisedSize(entries[key]);
			if (size > DO_LIMITS.maxValueBytes) throw new RangeError(`Values cannot be larger than ${DO_LIMITS.maxValueBytes} bytes. A value of size ${size} was provided (key ${key}).`);
		}
		const copies = keys.map((key) => [key, structuredClone(entries[key])] as const);
		await this.enter({ kind: 'put', keys }, () => {
			for (const [key, value] of copies) this.data.set(key, value);
		});
	}

	async delete(keys: string[]): Promise<number> {
		if (keys.length > DO_LIMITS.maxKeysPerCall) throw new RangeError(`Maximum number of keys in a delete is ${DO_LIMITS.maxKeysPerCall}, got ${keys.length}.`);
		let deleted = 0;
		await this.enter({ kind: 'delete', keys }, () => {
			for (const key of keys) if (this.data.delete(key)) deleted++;
		});
		return deleted;
	}

	/** Records the call, waits like I/O, applies the fault plan, then commits `apply` atomically. */
	private async enter(operation: StorageOperation, apply?: () => void): Promise<void> {
		this.operations.push(operation);
		const index = this.operations.length;
		await pause(this.options.delayMs ?? 0);
		if (this.crashedDuring) throw new SimulatedCrash(operation);
		if (this.crashPlan && index >= this.crashPlan.at) {
			if (this.crashPlan.applied) apply?.();
			this.crashedDuring = operation;
			throw new SimulatedCrash(operation);
		}
		if (this.failures && this.failures.remaining > 0 && (this.failures.kind === 'any' || this.failures.kind === operation.kind)) {
			this.failures.remaining--;
			throw new SimulatedFailure(operation);
		}
		apply?.();
	}
}

function matches(key: string, o: StorageListOptions): boolean {
	if (o.prefix !== undefined && !key.startsWith(o.prefix)) return false;
	if (o.start !== undefined && key < o.start) return false;
	if (o.startAfter !== undefined && key <= o.startAfter) return false;
	if (o.end !== undefined && key >= o.end) return false;
	return true;
}

function checkKey(key: string): void {
	const bytes = new TextEncoder().encode(key).byteLength;
	if (bytes > DO_LIMITS.maxKeyBytes) throw new RangeError(`Keys cannot be larger than ${DO_LIMITS.maxKeyBytes} bytes (got ${bytes}).`);
}

/**
 * Size as workerd's V8 serialiser sees it. Node's `v8.serialize` writes only a typed array's view, but
 * the standard structured clone writes its whole ArrayBuffer, so views are measured by their buffer.
 */
function serialisedSize(value: unknown): number {
	if (ArrayBuffer.isView(value)) return value.buffer.byteLength + 16;
	return serialize(value).byteLength;
}

function pause(ms: number): Promise<void> {
	if (ms > 0) return new Promise((resolve) => setTimeout(resolve, ms));
	return new Promise((resolve) => setImmediate(resolve));
}
