import type { StorageLike, StorageListOptions } from '../../party/storage/StorageLike';
import { decodeValue, encodeValue, type ProbeCall } from './probeWire';

/** A StorageLike whose every call runs on the Durable Object `name` of the storage probe worker at `url`. */
export function probeStorage(url: string, name: string): StorageLike {
	async function call<T>(body: ProbeCall): Promise<T> {
		const response = await fetch(`${url}/${encodeURIComponent(name)}`, { method: 'POST', body: encodeValue(body) });
		const answer = decodeValue<{ result?: T; error?: string }>(await response.text());
		if (!response.ok) throw new Error(answer.error ?? `probe answered ${response.status}`);
		return answer.result as T;
	}
	return {
		async list<T = unknown>(options: StorageListOptions) {
			return new Map(await call<Array<[string, T]>>({ op: 'list', options: { ...options } }));
		},
		async put<T>(entries: Record<string, T>) {
			await call({ op: 'put', entries });
		},
		delete: (keys: string[]) => call<number>({ op: 'delete', keys })
	};
}
