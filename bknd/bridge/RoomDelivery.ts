import { deliver, type DeliveryTarget } from './deliver';
import type { BridgeLog } from './EventRecorder';
import type { Outbox } from './Outbox';

// Delivers one room's outbox, oldest first, one batch at a time, in the background: nothing here is awaited
// by a bknd write. A batch is marked delivered only after the room's 200; until then the same events are sent
// again (new delivery id, same event ids: the room drops what it already has), so an event is never skipped
// and never reordered. Failures back off exponentially (100 ms doubling to 5 s); a 413 halves the batch;
// a 400 isolates the offending event by sending one at a time, then sets it aside (`refused`) and goes on.

export interface DeliveryPolicy {
	/** Events per delivery (the room accepts up to 500). */
	batchEvents: number;
	/** About this many bytes of events per delivery (the room refuses over 1 MiB). */
	batchBytes: number;
	backoffMinMs: number;
	backoffMaxMs: number;
	/** Looks at the outbox this often even when nobody said there was something new. */
	idlePollMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
	batchEvents: 100,
	batchBytes: 900_000,
	backoffMinMs: 100,
	backoffMaxMs: 5_000,
	idlePollMs: 5_000
};

export class RoomDelivery {
	private stopped = false;
	private kicked = false;
	private wakeUp: (() => void) | null = null;
	private running: Promise<void> | null = null;
	private readonly stopping = new AbortController();
	private cap: number;
	/** After a 400 on a batch: send one event at a time up to this seq, to find the one the room refuses. */
	private isolateThrough = 0;

	constructor(
		readonly room: string,
		private readonly outbox: Outbox,
		private readonly target: DeliveryTarget,
		private readonly policy: DeliveryPolicy,
		private readonly log: BridgeLog
	) {
		this.cap = policy.batchEvents;
	}

	/** Starts the loop (idempotent). */
	start(): void {
		this.running ??= this.loop(false);
	}

	/**
	 * One pass (Workers, where nothing may run between requests): delivers until the room's outbox is empty or
	 * the room fails; what is left waits for the next pass (the cron's, or the next write's). Same rules as the loop.
	 */
	drain(): Promise<void> {
		return this.loop(true);
	}

	/** Something new was queued for this room: deliver now if idle. */
	kick(): void {
		this.kicked = true;
		this.wakeUp?.();
	}

	/** Stops after the attempt in flight is aborted; undelivered events stay in the outbox for the next boot. */
	async stop(): Promise<void> {
		this.stopped = true;
		this.stopping.abort();
		this.wakeUp?.();
		await this.running;
	}

	private async loop(untilEmpty: boolean): Promise<void> {
		let delay = 0;
		let failures = 0;
		let lastProblem = '';
		while (!this.stopped) {
			this.kicked = false;
			let batch;
			try {
				batch = await this.outbox.next(this.room, this.isolateThrough > 0 ? 1 : this.cap, this.policy.batchBytes);
			} catch (error) {
				if (this.stopped) break;
				this.log(`live bridge: cannot read the outbox of room ${this.room}: ${String(error)}`);
				await this.pause((delay = this.nextDelay(delay)));
				continue;
			}
			if (batch.length === 0) {
				if (untilEmpty) break;
				await this.idle();
				continue;
			}
			const outcome = await deliver(this.target, this.room, batch.map((e) => e.json), this.stopping.signal);
			if (this.stopped) break;
			const seqs = batch.map((e) => e.seq);
			const last = seqs[seqs.length - 1]!;
			try {
				switch (outcome.kind) {
					case 'delivered':
						await this.outbox.markDelivered(seqs);
						if (failures > 0) this.log(`live bridge: room ${this.room} reached again after ${failures} failed attempt(s).`);
						delay = failures = 0;
						lastProblem = '';
						if (this.isolateThrough > 0 && last >= this.isolateThrough) this.isolateThrough = 0;
						this.cap = Math.min(this.policy.batchEvents, this.cap * 2);
						break;
					case 'too-large':
						this.log(`live bridge: room ${this.room} answered 413 for ${batch.length} event(s); sending fewer.`);
						if (batch.length === 1) {
							await this.outbox.markRefused(seqs);
							this.log(`live bridge: event ${batch[0]!.eventId} set aside: too large for room ${this.room}.`);
						}
						this.cap = Math.max(1, Math.floor(batch.length / 2));
						break;
					case 'refused':
						if (batch.length > 1) {
							this.log(`live bridge: room ${this.room} refused a batch (${outcome.detail}); resending one event at a time.`);
							this.isolateThrough = last;
						} else {
							await this.outbox.markRefused(seqs);
							this.log(`live bridge: event ${batch[0]!.eventId} set aside: room ${this.room} refused it (${outcome.detail}).`);
							if (last >= this.isolateThrough) this.isolateThrough = 0;
						}
						break;
					case 'retry': {
						failures++;
						// Log the first failure of a streak and every change of cause (a 401 means the secrets differ,
						// a 409 a replayed delivery id), not every attempt of a long outage.
						const problem = outcome.detail.split(' ')[0] ?? '';
						if (problem !== lastProblem) this.log(`live bridge: delivery to room ${this.room} failed (${outcome.detail}); retrying with backoff.`);
						lastProblem = problem;
						if (untilEmpty) return;
						await this.pause((delay = this.nextDelay(delay)));
						break;
					}
					default: {
						const never: never = outcome;
						throw new Error(`unknown outcome ${JSON.stringify(never)}`);
					}
				}
			} catch (error) {
				// The outbox could not be updated (database closing): the batch stays pending and is sent again.
				if (this.stopped) break;
				this.log(`live bridge: cannot update the outbox of room ${this.room}: ${String(error)}`);
				await this.pause((delay = this.nextDelay(delay)));
			}
		}
	}

	private nextDelay(previous: number): number {
		return previous === 0 ? this.policy.backoffMinMs : Math.min(this.policy.backoffMaxMs, previous * 2);
	}

	/** Waits for a kick (or the idle poll); returns at once if kicked since the last outbox read. */
	private idle(): Promise<void> {
		if (this.kicked || this.stopped) return Promise.resolve();
		return this.wait(this.policy.idlePollMs, true);
	}

	/** Backoff: only `stop` cuts it short (new events must not hammer a room that is down). */
	private pause(ms: number): Promise<void> {
		return this.wait(ms, false);
	}

	private wait(ms: number, wakeOnKick: boolean): Promise<void> {
		return new Promise((resolve) => {
			const done = () => {
				clearTimeout(timer);
				this.wakeUp = null;
				resolve();
			};
			const timer = setTimeout(done, ms);
			timer.unref?.();
			this.wakeUp = wakeOnKick ? done : () => (this.stopped ? done() : undefined);
		});
	}
}
