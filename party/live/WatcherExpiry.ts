import { closeExpiredWatchers, type WatcherSocket } from './LiveFeed';

/** The Durable Object alarm, as `DurableObjectStorage` has it (one per object; setting it replaces it). */
export interface AlarmClock {
	getAlarm(): Promise<number | null>;
	setAlarm(scheduledTime: number): Promise<void>;
}

/**
 * Closes each watcher with 4401 at its token's expiry, even when no event comes. A hibernating room keeps no
 * timer (its object is rebuilt after ~10 s idle), so this uses the Durable Object alarm, kept at or before the
 * earliest expiry of an open watcher: `watch` moves it earlier when a watcher is admitted or renewed, and when it
 * rings, `ring` closes the expired ones and sets it for the next expiry (none left: no alarm). A watcher that
 * left early only makes the alarm ring for nothing.
 *
 * Needs neither the room id nor the log: closing sockets is no reason to load the log.
 */
export class WatcherExpiry {
	/** One step at a time: a `watch` read-then-set racing a `ring` could otherwise leave the alarm too late. */
	private queue: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly sockets: () => Iterable<WatcherSocket>,
		private readonly alarm: AlarmClock,
		private readonly now: () => number = Date.now
	) {}

	/** A watcher admitted (its attachment already set) or renewed until `exp` (Unix seconds). */
	watch(exp: number): Promise<void> {
		return this.serial(async () => {
			const at = exp * 1000;
			const current = await this.alarm.getAlarm();
			if (current === null || current > at) await this.alarm.setAlarm(at);
		});
	}

	/** The alarm rang: closes the watchers whose token expired (returned, so the feed forgets them) and sets the next alarm. */
	ring(): Promise<WatcherSocket[]> {
		return this.serial(async () => {
			const { closed, next } = closeExpiredWatchers(this.sockets(), this.now());
			if (next !== null) await this.alarm.setAlarm(next);
			return closed;
		});
	}

	private serial<T>(step: () => Promise<T>): Promise<T> {
		const run = this.queue.then(step);
		this.queue = run.catch(() => {});
		return run;
	}
}
