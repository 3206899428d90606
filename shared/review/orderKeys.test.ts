import { describe, expect, it } from 'vitest';
import { isOrderKey, keyBetween } from './orderKeys';
import { prng } from './testKit';

describe('keyBetween', () => {
	it('starts in the middle and keeps keys ordered when appending, prepending and inserting', () => {
		expect(keyBetween(null, null)).toBe('i');
		let keys = [keyBetween(null, null)];
		const random = prng(7);
		for (let i = 0; i < 500; i++) {
			const at = random.int(keys.length + 1);
			const key = keyBetween(keys[at - 1] ?? null, keys[at] ?? null);
			expect(isOrderKey(key)).toBe(true);
			if (at > 0) expect(key > keys[at - 1]!).toBe(true);
			if (at < keys.length) expect(key < keys[at]!).toBe(true);
			keys = [...keys.slice(0, at), key, ...keys.slice(at)];
		}
		expect([...keys].sort()).toEqual(keys);
	});

	it('stays short when always inserting at the same place', () => {
		let before = 'i';
		for (let i = 0; i < 200; i++) before = keyBetween(before, 'j');
		expect(before.length).toBeLessThan(200);
		expect(before < 'j').toBe(true);
	});

	it('stays short when appending or prepending thousands of times (halving made the 5,001st appended key too long)', () => {
		for (const append of [true, false]) {
			const keys: string[] = [];
			for (let i = 0; i < 10_000; i++) keys.push(append ? keyBetween(keys.at(-1) ?? null, null) : keyBetween(null, keys.at(-1) ?? null));
			if (!append) keys.reverse();
			expect(keys.every(isOrderKey)).toBe(true);
			expect(keys.every((key, i) => i === 0 || keys[i - 1]! < key)).toBe(true);
			expect(Math.max(...keys.map((k) => k.length))).toBeLessThanOrEqual(8);
		}
	});

	it('refuses bounds out of order', () => {
		expect(() => keyBetween('b', 'a')).toThrow();
		expect(() => keyBetween('a', 'a')).toThrow();
	});
});
