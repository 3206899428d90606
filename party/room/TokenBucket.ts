/**
 * A token bucket: `rate` tokens per second, holding at most `burst`. `take()` spends one if it can.
 * `debt` counts refusals in a row, so a client that ignores its 4429 errors can be disconnected.
 */
export class TokenBucket {
	private tokens: number;
	private last: number;
	debt = 0;

	constructor(
		private readonly rate: number,
		private readonly burst: number,
		now: number
	) {
		this.tokens = burst;
		this.last = now;
	}

	take(now: number): boolean {
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
		this.last = now;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			this.debt = 0;
			return true;
		}
		this.debt += 1;
		return false;
	}
}
