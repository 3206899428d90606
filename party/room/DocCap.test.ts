import { describe, expect, it } from 'vitest';
import { DocCap } from './DocCap';

describe('DocCap', () => {
	it('HARDEN-NOTES-CAP-1: admits updates while the estimate fits, measures only near the cap, at most once per second', () => {
		let now = 0;
		let size = 100;
		let measures = 0;
		const cap = new DocCap(1_000, () => (measures++, size), () => now);
		expect(cap.admits(500)).toBe(true); // first use measures once
		expect(measures).toBe(1);
		cap.changed(500), (size += 500);
		expect(cap.admits(300)).toBe(true);
		cap.changed(300), (size += 300);
		expect(measures).toBe(1); // the cheap path: no measure
		// 900 + 200 > 1000: measure again (the doc changed since) and refuse
		now = 2_000;
		expect(cap.admits(200)).toBe(false);
		expect(measures).toBe(2);
		// refused again at once: the measurement is still exact, no new measure
		expect(cap.admits(200)).toBe(false);
		expect(measures).toBe(2);
		// a deletion made room (the doc shrank), but within the second the stale estimate refuses
		size = 300;
		cap.changed(20);
		now = 2_500;
		expect(cap.admits(200)).toBe(false);
		expect(measures).toBe(2);
		// a second later it measures again and sees the room
		now = 3_000;
		expect(cap.admits(200)).toBe(true);
		expect(measures).toBe(3);
	});
});
