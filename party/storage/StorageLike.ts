/**
 * The part of Durable Object storage (Cloudflare's `DurableObjectStorage`, the room's `ctx.storage`) that
 * `DocStore` uses. Narrow on purpose: `MemoryStorage` implements it for unit tests, the real room passes
 * `ctx.storage` (which satisfies it structurally), and one contract suite runs against both (MemoryStorage and workerd).
 *
 * Durable Object rules every implementation must honour (https://developers.cloudflare.com/durable-objects/api/storage-api/):
 * - `put(entries)` is atomic: after a crash either every entry is stored or none is.
 * - at most 128 keys per `put(entries)` and per `delete(keys)`;
 * - a value is at most 128 KiB once serialised (structured clone), a key at most 2 KiB;
 * - `list` returns keys in UTF-8 byte order (ASCII order for our keys).
 */
export interface StorageLike {
	/** Entries whose keys match, sorted by key. `start` is inclusive, `end` exclusive. */
	list<T = unknown>(options: StorageListOptions): Promise<Map<string, T>>;
	/** Writes up to 128 entries atomically. */
	put<T>(entries: Record<string, T>): Promise<void>;
	/** Deletes up to 128 keys; resolves to how many existed. */
	delete(keys: string[]): Promise<number>;
}

/** The `list` options `DocStore` relies on (a subset of `DurableObjectListOptions`). */
export interface StorageListOptions {
	prefix?: string;
	start?: string;
	startAfter?: string;
	end?: string;
	limit?: number;
	reverse?: boolean;
}

/** Durable Object limits, shared by `MemoryStorage` (which enforces them) and `DocStore` (which stays under them). */
export const DO_LIMITS = {
	/** Keys per `put(entries)`, `get(keys)` and `delete(keys)` call. */
	maxKeysPerCall: 128,
	/** Serialised value size. 128 KiB is the documented limit; workerd was measured refusing values above about 131,100 serialised bytes. */
	maxValueBytes: 128 * 1024,
	/** Key size in bytes. */
	maxKeyBytes: 2048
} as const;
