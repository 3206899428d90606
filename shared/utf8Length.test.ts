import { describe, expect, it } from 'vitest';
import { prng } from './review/testKit';
import { utf8Length } from './utf8Length';

describe('utf8Length', () => {
	it('counts what TextEncoder would send: ASCII, accents, CJK, emoji and lone surrogates', () => {
		for (const text of ['', 'abc', 'é', 'Fianarantsoa – café', '日本', '🙂', 'a🙂b', '\ud83d', '\ude42x', '\ud83d\ud83d\ude42']) {
			expect(utf8Length(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).byteLength);
		}
	});

	it('agrees with TextEncoder on 2,000 seeded random strings of any code units', () => {
		const random = prng(42);
		for (let i = 0; i < 2_000; i++) {
			let text = '';
			for (let n = random.int(40); n > 0; n--) text += String.fromCharCode(random.pick([random.int(0x80), 0x80 + random.int(0x780), 0x800 + random.int(0xf800), 0xd800 + random.int(0x800)]));
			expect(utf8Length(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).byteLength);
		}
	});
});
