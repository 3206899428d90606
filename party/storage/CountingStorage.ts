import { DO_LIMITS, type StorageLike, type StorageListOptions } from './StorageLike';

/**
 * Wraps any `StorageLike` and counts what goes through it, so the contract suite can check call counts
 * and value sizes against real workerd storage as well as `MemoryStorage`.
 */
export class CountingStorage implements StorageLike {
	puts = 0;
	lists = 0;
	deletes = 0;
	/** Largest Uint8Array value put, in bytes (workerd adds a few bytes of clone header). */
	largestValue = 0;
	/** Most keys in one put. */
	mostKeys = 0;

	constructor(readonly inner: StorageLike) {}

	list<T = unknown>(options: StorageListOptions): Promise<Map<string, T>> {
		this.lists++;
		return this.inner.list<T>(options);
	}

	put<T>(entries: Record<string, T>): Promise<void> {
		this.puts++;
		const values = Object.values(entries);
		this.mostKeys = Math.max(this.mostKeys, values.length);
		for (const value of values) if (value instanceof Uint8Array) this.largestValue = Math.max(this.largestValue, value.buffer.byteLength);
		return this.inner.put(entries);
	}

	delete(keys: string[]): Promise<number> {
		this.deletes++;
		return this.inner.delete(keys);
	}

	/** True when every put so far stayed within the Durable Object limits. */
	get withinLimits(): boolean {
		return this.mostKeys <= DO_LIMITS.maxKeysPerCall && this.largestValue <= DO_LIMITS.maxValueBytes - 64;
	}
}
