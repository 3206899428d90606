import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Watchdog } from './Watchdog';

describe('Watchdog', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('HEARTBEAT-W1 pings after the quiet time, calls dead after the answer time, and any frame heard in between saves it', () => {
		const ping = vi.fn();
		const dead = vi.fn();
		const watchdog = new Watchdog({ ping, dead, quietMs: 100, answerMs: 50 });
		watchdog.start();
		vi.advanceTimersByTime(99);
		expect(ping).not.toHaveBeenCalled();
		vi.advanceTimersByTime(1);
		expect(ping).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(49);
		watchdog.heard();
		vi.advanceTimersByTime(99);
		expect(dead).not.toHaveBeenCalled();
		expect(ping).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(1 + 50);
		expect(ping).toHaveBeenCalledTimes(2);
		expect(dead).toHaveBeenCalledTimes(1);
		// Dead once: nothing more until the socket opens again.
		vi.advanceTimersByTime(1_000);
		expect(ping).toHaveBeenCalledTimes(2);
		expect(dead).toHaveBeenCalledTimes(1);
	});

	it('HEARTBEAT-W2 stop() silences it for good until start()', () => {
		const ping = vi.fn();
		const dead = vi.fn();
		const watchdog = new Watchdog({ ping, dead, quietMs: 100, answerMs: 50 });
		watchdog.start();
		watchdog.stop();
		vi.advanceTimersByTime(10_000);
		expect(ping).not.toHaveBeenCalled();
		expect(dead).not.toHaveBeenCalled();
	});
});
