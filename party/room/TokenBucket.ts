/**
 * A token bucket: `rate` tokens per second, holding at most `burst`. `take()` spends `cost` tokens if it can.
 *
 * It also tells when a sender stays over the limit (`overLimit`): refusals that keep coming, never more than
 * `gapMs` apart, for `windowMs` or `maxRefusals` times, whichever comes first (so a fast flood is cut at once). Successes do not end such a streak (a client at 5× the rate gets a success
 * now and then and must still be cut off); a pause without refusals does, so an honest burst is never
 * punished. Time comes from the caller (`now`), so tests are deterministic.
 */
export class TokenBucket {
	private tokens: number;
	private last: number;
	/** When the current streak of refusals began, or `null` when there is none. */
	private overSince: number | null = null;
	private lastRefusal = 0;
	private refusals = 0;

	constructor(
		private readonly rate: number,
		private readonly burst: number,
		now: number,
		private readonly window: { windowMs: number; gapMs: number; maxRefusals: number } = { windowMs: Infinity, gapMs: 0, maxRefusals: Infinity }
	) {
		this.tokens = burst;
		this.last = now;
	}

	take(now: number, cost = 1): boolean {
		this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) / 1000) * this.rate);
		this.last = Math.max(this.last, now);
		if (this.tokens >= cost) {
			this.tokens -= cost;
			return true;
		}
		if (this.overSince === null || now - this.lastRefusal > this.window.gapMs) (this.overSince = now), (this.refusals = 0);
		this.lastRefusal = now;
		this.refusals++;
		return false;
	}

	/** Whether the sender has been refused without a pause for the whole window: time to close it. */
	overLimit(now: number): boolean {
		if (this.overSince === null || now - this.lastRefusal > this.window.gapMs) return false;
		return now - this.overSince >= this.window.windowMs || this.refusals >= this.window.maxRefusals;
	}
}
