import { describe, expect, it } from 'vitest';
import { WIRE_LIMITS } from '../../shared/protocol';
import { TokenBucket } from './TokenBucket';

const window = { windowMs: WIRE_LIMITS.overLimitWindowMs, gapMs: WIRE_LIMITS.overLimitGapMs, maxRefusals: WIRE_LIMITS.overLimitRefusals };
const commands = (now: number) => new TokenBucket(WIRE_LIMITS.commandsPerSecond, WIRE_LIMITS.commandBurst, now, window);

describe('TokenBucket', () => {
	it('allows the burst at once, then the rate per second, never more', () => {
		const bucket = new TokenBucket(20, 40, 0);
		let allowed = 0;
		for (let i = 0; i < 100; i++) if (bucket.take(0)) allowed++;
		expect(allowed).toBe(40);
		// One second later: 20 more, sustained.
		allowed = 0;
		for (let i = 0; i < 100; i++) if (bucket.take(1000)) allowed++;
		expect(allowed).toBe(20);
		// Ten seconds at 20/s spread evenly: all allowed.
		allowed = 0;
		for (let t = 0; t < 200; t++) if (bucket.take(1000 + 50 * (t + 1))) allowed++;
		expect(allowed).toBe(200);
	});

	it('charges a cost per take (bytes), and refuses a cost over what is left', () => {
		const bucket = new TokenBucket(1_000, 4_000, 0);
		expect(bucket.take(0, 3_000)).toBe(true);
		expect(bucket.take(0, 1_500)).toBe(false);
		expect(bucket.take(500, 1_500)).toBe(true);
	});

	it('HARDEN-RATE-1: a sender at 100 commands/s is over the limit within 3 s, although a success comes now and then', () => {
		const bucket = commands(0);
		let closedAt: number | null = null;
		let successes = 0;
		for (let t = 0; t <= 5_000 && closedAt === null; t += 10) {
			if (bucket.take(t)) successes++;
			if (bucket.overLimit(t)) closedAt = t;
		}
		expect(closedAt).not.toBeNull();
		expect(closedAt!).toBeLessThanOrEqual(3_000);
		expect(closedAt!).toBeGreaterThan(1_000); // not at the first refusal: the burst and a little more first
		expect(successes).toBeGreaterThan(40);
	});

	it('HARDEN-RATE-2: an honest burst (60 at once, then quiet) loses 20 commands but is never over the limit', () => {
		const bucket = commands(0);
		let refused = 0;
		for (let i = 0; i < 60; i++) if (!bucket.take(0)) refused++;
		expect(refused).toBe(20);
		expect(bucket.overLimit(0)).toBe(false);
		// later, at the allowed rate, then another honest burst: still fine
		for (let t = 2_000; t < 10_000; t += 100) expect(bucket.take(t)).toBe(true), expect(bucket.overLimit(t)).toBe(false);
		for (let i = 0; i < 60; i++) bucket.take(12_000);
		expect(bucket.overLimit(12_000)).toBe(false);
	});

	it('HARDEN-RATE-3: a sender a little over the rate (25/s) is over the limit after the window', () => {
		const bucket = commands(0);
		let closedAt: number | null = null;
		for (let t = 0; t <= 20_000 && closedAt === null; t += 40) {
			bucket.take(t);
			if (bucket.overLimit(t)) closedAt = t;
		}
		expect(closedAt).not.toBeNull();
	});

	it('HARDEN-RATE-4: a flood sent at once is over the limit after the refusal cap, without waiting for the window', () => {
		const bucket = commands(0);
		for (let i = 0; i < WIRE_LIMITS.commandBurst + WIRE_LIMITS.overLimitRefusals - 1; i++) bucket.take(0);
		expect(bucket.overLimit(0)).toBe(false);
		bucket.take(0);
		expect(bucket.overLimit(0)).toBe(true);
	});
});
