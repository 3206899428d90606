import { describe, expect, it } from 'vitest';
import { MemoryStorage, SimulatedCrash, SimulatedFailure } from './MemoryStorage';

describe('MemoryStorage', () => {
	it('lists sorted by key with prefix, start, startAfter, end, reverse and limit', async () => {
		const storage = new MemoryStorage();
		await storage.put({ 'b:2': 2, 'a:1': 1, 'b:10': 10, 'b:1': 1, c: 3 });
		const keys = async (options: Parameters<MemoryStorage['list']>[0]) => [...(await storage.list(options)).keys()];
		expect(await keys({})).toEqual(['a:1', 'b:1', 'b:10', 'b:2', 'c']);
		expect(await keys({ prefix: 'b:' })).toEqual(['b:1', 'b:10', 'b:2']);
		expect(await keys({ start: 'b:10', end: 'c' })).toEqual(['b:10', 'b:2']);
		expect(await keys({ startAfter: 'b:10' })).toEqual(['b:2', 'c']);
		expect(await keys({ prefix: 'b:', reverse: true, limit: 2 })).toEqual(['b:2', 'b:10']);
	});

	it('stores copies: later changes to a put value or a read value do not reach storage', async () => {
		const storage = new MemoryStorage();
		const bytes = new Uint8Array([1, 2, 3]);
		await storage.put({ k: bytes });
		bytes[0] = 9;
		const read = (await storage.get<Uint8Array>('k'))!;
		expect([...read]).toEqual([1, 2, 3]);
		read[1] = 9;
		expect([...(await storage.get<Uint8Array>('k'))!]).toEqual([1, 2, 3]);
	});

	it('enforces the Durable Object limits like workerd, writing nothing from a refused put', async () => {
		const storage = new MemoryStorage();
		const many = Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${i}`, i]));
		await expect(storage.put(many)).rejects.toThrow(/128/);
		await expect(storage.delete(Object.keys(many))).rejects.toThrow(/128/);
		await expect(storage.put({ ok: 1, big: new Uint8Array(128 * 1024) })).rejects.toThrow(/larger than 131072/);
		// A small view of a big buffer is cloned with its whole buffer, so it counts as big.
		await expect(storage.put({ view: new Uint8Array(200_000).subarray(0, 10) })).rejects.toThrow(/larger than/);
		await expect(storage.put({ ['k'.repeat(2049)]: 1 })).rejects.toThrow(/Keys cannot be larger/);
		expect(storage.keys()).toEqual([]);
		await storage.put({ fits: new Uint8Array(128 * 1024 - 1024) });
	});

	it('fails the next calls once with failNext, then works again', async () => {
		const storage = new MemoryStorage();
		storage.failNext(1, 'put');
		await expect(storage.list({})).resolves.toEqual(new Map());
		await expect(storage.put({ a: 1 })).rejects.toBeInstanceOf(SimulatedFailure);
		await storage.put({ b: 1 });
		expect(storage.keys()).toEqual(['b']);
	});

	it('crashAt kills the storage at the chosen call, committing it only when asked, and restart() sees what was committed', async () => {
		const storage = new MemoryStorage();
		storage.crashAt(2);
		await storage.put({ a: 1 });
		await expect(storage.put({ b: 1 })).rejects.toBeInstanceOf(SimulatedCrash);
		await expect(storage.put({ c: 1 })).rejects.toBeInstanceOf(SimulatedCrash);
		expect(storage.crashed).toEqual({ kind: 'put', keys: ['b'] });
		expect(storage.restart().keys()).toEqual(['a']);

		const applied = new MemoryStorage();
		applied.crashAt(1, { applied: true });
		await expect(applied.put({ a: 1 })).rejects.toBeInstanceOf(SimulatedCrash);
		const next = applied.restart();
		expect(next.keys()).toEqual(['a']);
		expect(next.crashed).toBeNull();
		await next.put({ b: 2 });
		expect(applied.keys()).toEqual(['a']); // the dead instance does not see the new process's writes
	});
});
