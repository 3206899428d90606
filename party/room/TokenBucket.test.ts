import { describe, expect, it } from 'vitest';
import { TokenBucket } from './TokenBucket';

describe('TokenBucket', () => {
	it('allows the burst at once, then the rate per second, never more', () => {
		const bucket = new TokenBucket(20, 40, 0);
		let allowed = 0;
		for (let i = 0; i < 100; i++) if (bucket.take(0)) allowed++;
		expect(allowed).toBe(40);
		expect(bucket.debt).toBe(60);
		// One second later: 20 more, sustained.
		allowed = 0;
		for (let i = 0; i < 100; i++) if (bucket.take(1000)) allowed++;
		expect(allowed).toBe(20);
		// Ten seconds at 20/s spread evenly: all allowed.
		allowed = 0;
		for (let t = 0; t < 200; t++) if (bucket.take(1000 + 50 * (t + 1))) allowed++;
		expect(allowed).toBe(200);
		expect(bucket.debt).toBe(0);
	});
});
