import { DELIVERY_LIMITS } from '../../shared/live/delivery';
import type { LiveEvent } from '../../shared/live/events';
import { signedHeaders } from '../../shared/live/signedMessage';

/** Sends one signed delivery to live room `room` (`POST /ws/live/<room>/events`) and returns its status. */
export type PostDelivery = (room: string, request: { body: string; headers: Record<string, string> }) => Promise<{ status: number }>;

export interface ActivityPublisherOptions {
	/** The live rooms to deliver to: the project's tenant room and `fataplus`. */
	rooms: readonly string[];
	/** `BRIDGE_SECRET`. */
	secret: string;
	post: PostDelivery;
	/** Waits before each retry; a delivery is dropped (and logged) after the last one fails. */
	retryDelaysMs?: readonly number[];
	/** Events waiting per room beyond this are dropped, oldest first: a live room down must not grow the project room. */
	maxQueued?: number;
	/**
	 * Deliveries to one room start at least this far apart (default `ACTIVITY_DELIVERY_SPACING_MS`); the first after
	 * a quiet spell starts at once. Under a stream of commands the events of the gap go in one delivery.
	 */
	spacingMs?: number;
	now?: () => number;
	newDeliveryId?: () => string;
	sleep?: (ms: number) => Promise<void>;
	log?: (message: string, error?: unknown) => void;
}

/**
 * How far apart deliveries to one live room start while activity streams in. Each event costs the live rooms a
 * signature and schema check and two stored values, and a busy project room started a delivery as soon as the last
 * one was answered (about 30 a second per live room, each folded to one event per person). Spaced, `foldBursts`
 * folds more: measured with 10 people sending commands, CPU per acknowledged command 0.44 → 0.36 ms (without
 * BRIDGE_SECRET: 0.28). A dashboard line comes at most this much later, and not at all later after a quiet spell.
 */
export const ACTIVITY_DELIVERY_SPACING_MS = 50;

/**
 * Delivers a project room's activity events to live rooms, signed (shared/live/delivery.ts). Per room, one
 * delivery at a time, in order, started at least `spacingMs` apart; what arrives meanwhile goes in the next one.
 * A failed delivery is retried with a fresh delivery id and signature; the events keep their ids, so a delivery that did land the first time only
 * yields duplicates. Fire and forget: commands are acknowledged without waiting for this.
 */
export class ActivityPublisher {
	private readonly queues = new Map<string, LiveEvent[]>();
	private readonly pumps = new Map<string, Promise<void>>();
	private readonly retryDelaysMs: readonly number[];
	private readonly maxQueued: number;
	private readonly spacingMs: number;
	/** When the last delivery to each room started. */
	private readonly lastStart = new Map<string, number>();
	/** A pump waiting out the spacing: when it may go on, and how to wake it. */
	private readonly spacing = new Map<string, { until: number; resume: () => void }>();
	private readonly now: () => number;
	private readonly newDeliveryId: () => string;
	private readonly sleep: (ms: number) => Promise<void>;
	private readonly log: (message: string, error?: unknown) => void;

	constructor(private readonly options: ActivityPublisherOptions) {
		this.retryDelaysMs = options.retryDelaysMs ?? [250, 1_000, 4_000];
		this.maxQueued = options.maxQueued ?? 5_000;
		this.spacingMs = options.spacingMs ?? ACTIVITY_DELIVERY_SPACING_MS;
		this.now = options.now ?? Date.now;
		this.newDeliveryId = options.newDeliveryId ?? (() => crypto.randomUUID().replaceAll('-', ''));
		this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
		this.log = options.log ?? ((message, error) => console.error(`[activity] ${message}`, error ?? ''));
	}

	/** Queues `event` for every room. */
	publish(event: LiveEvent): void {
		for (const room of this.options.rooms) {
			const queue = this.queues.get(room) ?? [];
			this.queues.set(room, queue);
			queue.push(event);
			if (queue.length > this.maxQueued) {
				queue.splice(0, queue.length - this.maxQueued);
				this.log(`live room ${room} is not keeping up: oldest activity dropped`);
			}
			// The event that arrives once the spacing is over wakes the pump: under a stream of commands a timer in the
			// project room was measured never to fire (the live rooms' queues grew until activity was dropped).
			const waiting = this.spacing.get(room);
			if (waiting && this.now() >= waiting.until) waiting.resume();
			if (!this.pumps.has(room)) {
				const pump = this.pump(room).finally(() => this.pumps.delete(room));
				this.pumps.set(room, pump);
			}
		}
	}

	/** Resolves when nothing is queued or in flight (tests). */
	async idle(): Promise<void> {
		while (this.pumps.size > 0) await Promise.all(this.pumps.values());
	}

	private async pump(room: string): Promise<void> {
		const queue = this.queues.get(room)!;
		// Starts on the next microtask, so the events of one command (or one burst) share a delivery.
		await Promise.resolve();
		while (queue.length > 0) {
			const until = (this.lastStart.get(room) ?? -Infinity) + this.spacingMs;
			if (until > this.now()) await this.waitUntil(room, until);
			this.lastStart.set(room, this.now());
			const batch = foldBursts(queue.splice(0, DELIVERY_LIMITS.maxEvents));
			await this.deliver(room, batch);
		}
	}

	/** Until `until`: the first of a timer (a quiet spell) and the first event published after it (a stream). */
	private async waitUntil(room: string, until: number): Promise<void> {
		await new Promise<void>((resume) => {
			this.spacing.set(room, { until, resume });
			void this.sleep(until - this.now()).then(resume);
		});
		this.spacing.delete(room);
	}

	private async deliver(room: string, events: LiveEvent[]): Promise<void> {
		const body = JSON.stringify({ events });
		for (let attempt = 0; ; attempt++) {
			let outcome: string;
			try {
				const headers = await signedHeaders(this.options.secret, body, { now: this.now(), id: this.newDeliveryId() });
				const { status } = await this.options.post(room, { body, headers });
				if (status === 200) return;
				// The room refuses these events as such: sending them again cannot help.
				if (status === 400 || status === 413) return this.log(`live room ${room} refused ${events.length} activity events (${status})`);
				outcome = `status ${status}`;
			} catch (error) {
				outcome = String(error);
			}
			const delay = this.retryDelaysMs[attempt];
			if (delay === undefined) return this.log(`live room ${room} did not take ${events.length} activity events (${outcome}); dropped after ${attempt + 1} attempts`);
			await this.sleep(delay);
		}
	}
}

/** Activity kinds whose bursts read better as one line ("a ouvert 12 discussions") than as twelve. */
const FOLDED_KINDS: ReadonlySet<unknown> = new Set(['thread.opened', 'thread.resolved', 'thread.reopened']);

/**
 * Folds the thread events of one batch that share project, kind, lane and person into one event with a `count`:
 * a burst of one person's actions is one line on a dashboard, and costs the live rooms one event, not one per
 * command (each live event is a signed, checked and stored value: one per command took ~40% of a busy project
 * room's CPU when they share a thread). The folded event keeps the first event's summary and time and takes an
 * id made from the first event's, so a retry of the same batch is still a duplicate the room drops.
 */
export function foldBursts(events: readonly LiveEvent[]): LiveEvent[] {
	const out: LiveEvent[] = [];
	const groups = new Map<string, { index: number; first: LiveEvent; count: number }>();
	for (const event of events) {
		const row = event.row;
		if (event.entity !== 'activity' || !FOLDED_KINDS.has(row.kind)) {
			out.push(event);
			continue;
		}
		const key = JSON.stringify([row.projectId, row.kind, row.lane, row.actorName]);
		const group = groups.get(key);
		if (!group) {
			groups.set(key, { index: out.length, first: event, count: 1 });
			out.push(event);
			continue;
		}
		group.count++;
		out[group.index] = { ...group.first, id: `${group.first.id}.x${group.count}`.slice(-160), row: { ...group.first.row, count: group.count } };
	}
	return out;
}
