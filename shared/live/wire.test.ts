import { describe, expect, it } from 'vitest';
import { sinceSchema } from './wire';

describe('since (the watcher’s last sequence number in the connect URL)', () => {
	it('reads digits only: an empty or spaced value is refused rather than read as 0', () => {
		expect(sinceSchema.parse('0')).toBe(0);
		expect(sinceSchema.parse('10500')).toBe(10_500);
		for (const bad of ['', ' ', '-1', '1e3', '0x10', '1.5', 'abc', '99999999999999999']) expect(sinceSchema.safeParse(bad).success).toBe(false);
	});
});
