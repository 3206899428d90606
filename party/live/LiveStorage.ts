import { DO_LIMITS, type StorageLike } from '../storage/StorageLike';

/**
 * The Durable Object storage calls the live room uses: `StorageLike` (list, put, delete; see its limits) plus
 * `get` of one key. `DurableObjectStorage` satisfies it, and so does `MemoryStorage` in unit tests.
 */
export interface LiveStorage extends StorageLike {
	get<T = unknown>(key: string): Promise<T | undefined>;
	/** Up to 128 keys in one call; the map holds only the keys that exist. */
	get<T = unknown>(keys: string[]): Promise<Map<string, T>>;
}

/** Which of `keys` exist, in calls of at most 128 keys issued together (one storage round trip each, not one per key). */
export async function existingKeys(storage: LiveStorage, keys: readonly string[]): Promise<Set<string>> {
	const calls: Promise<Map<string, unknown>>[] = [];
	for (let i = 0; i < keys.length; i += DO_LIMITS.maxKeysPerCall) calls.push(storage.get(keys.slice(i, i + DO_LIMITS.maxKeysPerCall)));
	const found = new Set<string>();
	for (const map of await Promise.all(calls)) for (const key of map.keys()) found.add(key);
	return found;
}

/**
 * Writes `entries` in puts of at most 128 keys, all issued in the same tick. On Durable Objects, writes issued
 * with no `await` between them are coalesced into one atomic write (https://blog.cloudflare.com/durable-objects-easy-fast-correct-choose-three/),
 * so a delivery's events, their index entries and the log's meta land together or not at all.
 */
export async function writeTogether(storage: StorageLike, entries: Record<string, unknown>): Promise<void> {
	const keys = Object.keys(entries);
	const puts: Promise<void>[] = [];
	for (let i = 0; i < keys.length; i += DO_LIMITS.maxKeysPerCall) {
		const chunk: Record<string, unknown> = {};
		for (const key of keys.slice(i, i + DO_LIMITS.maxKeysPerCall)) chunk[key] = entries[key];
		puts.push(storage.put(chunk));
	}
	await Promise.all(puts);
}

/** Deletes `keys` in calls of at most 128 keys, issued in the same tick (coalesced like `writeTogether`). */
export async function deleteTogether(storage: StorageLike, keys: readonly string[]): Promise<void> {
	const deletes: Promise<number>[] = [];
	for (let i = 0; i < keys.length; i += DO_LIMITS.maxKeysPerCall) deletes.push(storage.delete(keys.slice(i, i + DO_LIMITS.maxKeysPerCall)));
	await Promise.all(deletes);
}

/** Zero-padded so that key order (what `list` sorts by) is numeric order. */
export function padNumber(value: number): string {
	return String(value).padStart(16, '0');
}
