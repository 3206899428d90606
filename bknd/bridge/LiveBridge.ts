import type { Sql } from '../sql/Sql';
import { DatabaseEvents, type App } from 'bknd';
import { MIN_BRIDGE_SECRET_LENGTH } from '../../shared/live/signature';
import { createBridgeTables } from './bridgeTables';
import { DeleteIntents } from './DeleteIntents';
import type { DeliveryTarget } from './deliver';
import { describe, EventRecorder, type BridgeLog } from './EventRecorder';
import { Outbox } from './Outbox';
import { DEFAULT_DELIVERY_POLICY, RoomDelivery, type DeliveryPolicy } from './RoomDelivery';
import { rowTenant } from './rowTenant';
import { Sweeper } from './Sweeper';
import { isShownEntity, toEvent, type BuiltEvent, type Row, type ShownEntity } from './toEvent';

// The bknd → live rooms bridge, put together: bknd's mutator events (async listeners) and the bulk-write
// middleware feed the recorder, which writes the outbox; one RoomDelivery per room sends it; the sweeper
// catches what the listeners cannot see. Nothing here runs inside a write except the delete intent (a sync
// `mutator-delete-before` listener writing one local row, never throwing): a write never waits on the rooms
// and never fails because of them. See bknd/README.md "Live bridge".

export interface LiveBridgeOptions {
	/** Where the rooms listen (`http://127.0.0.1:1999`). Without it or `secret`, events are recorded, not sent. */
	liveRoomsUrl?: string;
	/** BRIDGE_SECRET, shared with the rooms (at least 32 characters). */
	secret?: string;
	/** Default 2 s. */
	sweepIntervalMs?: number;
	/** Default 10 s (Sweeper.ts). */
	sweepLagMs?: number;
	/** Default 30 s (Sweeper.ts). */
	intentGraceMs?: number;
	/** Delivered rows are deleted after this long (default 1 h); they are also the outbox's memory of what it sent. */
	deliveredRetentionMs?: number;
	/** Events a room refused for good are kept this long for inspection (default 7 days). */
	refusedRetentionMs?: number;
	/** One delivery attempt gives up after this long (default 10 s). */
	requestTimeoutMs?: number;
	delivery?: Partial<DeliveryPolicy>;
	/** How to reach `liveRoomsUrl` (deliver.ts): the rooms worker's service binding on Workers. Default: fetch. */
	fetch?: DeliveryTarget['fetch'];
	log?: BridgeLog;
}

const PRUNE_EVERY_MS = 60_000;

export class LiveBridge {
	readonly outbox: Outbox;
	readonly intents: DeleteIntents;
	readonly recorder: EventRecorder;
	private sweeper: Sweeper | null = null;
	private app: App | null = null;
	private readonly target: DeliveryTarget | null;
	private readonly policy: DeliveryPolicy;
	private readonly rooms = new Map<string, RoomDelivery>();
	/** Passes mode (Workers): the pass running or last run per room, so two passes of one room never overlap. */
	private readonly passes = new Map<string, Promise<void>>();
	private lastPassSweep = 0;
	/** Passes mode: rooms that got new events since the last pass. */
	private readonly woken = new Set<string>();
	private readonly timers: NodeJS.Timeout[] = [];
	private started = false;
	private stopped = false;
	private readonly log: BridgeLog;

	constructor(
		private readonly db: Sql,
		private readonly options: LiveBridgeOptions = {}
	) {
		this.log = options.log ?? ((message) => console.error(message));
		if (options.secret !== undefined && options.secret.length < MIN_BRIDGE_SECRET_LENGTH) {
			throw new Error(`live bridge: BRIDGE_SECRET must be at least ${MIN_BRIDGE_SECRET_LENGTH} characters.`);
		}
		this.target =
			options.liveRoomsUrl && options.secret
				? {
						roomsUrl: options.liveRoomsUrl.replace(/\/+$/, ''),
						secret: options.secret,
						timeoutMs: options.requestTimeoutMs ?? 10_000,
						...(options.fetch ? { fetch: options.fetch } : {})
					}
				: null;
		this.policy = { ...DEFAULT_DELIVERY_POLICY, ...options.delivery };
		this.outbox = new Outbox(db);
		this.intents = new DeleteIntents(db);
		this.recorder = new EventRecorder(db, this.outbox, this.intents, (rooms) => this.wake(rooms), this.log);
	}

	/** True when events are sent to rooms, not only recorded. */
	get delivers(): boolean {
		return this.target !== null;
	}

	/**
	 * Creates the bridge's tables and registers its listeners on bknd's event manager. Call from `onBuilt`,
	 * before anything writes (the seed): listener ids make a second call on a rebuilt app a no-op.
	 */
	async attach(app: App): Promise<void> {
		this.app = app;
		await createBridgeTables(this.db);
		this.sweeper ??= new Sweeper(
			app,
			this.db,
			this.outbox,
			this.intents,
			this.recorder,
			{ lagMs: this.options.sweepLagMs ?? 10_000, intentGraceMs: this.options.intentGraceMs ?? 30_000 },
			this.log
		);
		await this.sweeper.init();

		// Async listeners: bknd runs them after the response, in write order; `offer` only queues (EventRecorder).
		const offer = (op: 'insert' | 'update' | 'delete') => async (event: { params: { entity: { name: string }; data: Row } }) => {
			const { entity, data } = event.params;
			if (!isShownEntity(entity.name) || !data) return;
			this.recorder.offer({ kind: 'row', entity: entity.name, op, row: data, ...(op === 'delete' ? { at: new Date().toISOString() } : {}) });
		};
		app.emgr.onEvent(DatabaseEvents.MutatorInsertAfter, offer('insert'), { mode: 'async', id: 'fataplus-live-bridge-insert' });
		app.emgr.onEvent(DatabaseEvents.MutatorUpdateAfter, offer('update'), { mode: 'async', id: 'fataplus-live-bridge-update' });
		app.emgr.onEvent(DatabaseEvents.MutatorDeleteAfter, offer('delete'), { mode: 'async', id: 'fataplus-live-bridge-delete' });
		// Sync, before the row goes: the only durable trace a delete can leave (DeleteIntents.ts). Never throws.
		app.emgr.onEvent(
			DatabaseEvents.MutatorDeleteBefore,
			async (event) => {
				const { entity, entityId } = event.params;
				if (!isShownEntity(entity.name)) return;
				try {
					const { data } = await app.em.repo(entity.name).findId(entityId);
					if (data) await this.recordDeleteIntents(entity.name, [data as Row]);
				} catch (error) {
					this.log(`live bridge: delete intent for ${entity.name} ${String(entityId)} not written: ${describe(error)}`);
				}
			},
			{ mode: 'sync', id: 'fataplus-live-bridge-delete-intent' }
		);
	}

	/** Boot: settles what a crash left (sweep, intents), resumes delivery of the outbox, starts the timers. */
	async start(): Promise<void> {
		if (!this.sweeper || this.started) return;
		this.started = true;
		await this.sweeper.sweep();
		if (this.target) for (const room of await this.outbox.roomsWithPending()) this.room(room)?.kick();
		await this.prune();
		const every = (ms: number, run: () => Promise<unknown>) => {
			const timer = setInterval(() => void run().catch((error) => this.log(`live bridge: ${describe(error)}`)), ms);
			timer.unref();
			this.timers.push(timer);
		};
		every(this.options.sweepIntervalMs ?? 2_000, () => this.sweeper!.sweep());
		every(PRUNE_EVERY_MS, () => this.prune());
	}

	/** Stops timers and deliveries after writing to the outbox everything already offered. Safe to call twice. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		for (const timer of this.timers) clearInterval(timer);
		// Listeners of writes made outside a request (app.em) wait for this (docs/bknd.md).
		await this.app?.emgr.executeAsyncs().catch(() => undefined);
		await this.sweeper?.idle();
		await this.recorder.flush();
		await Promise.all([...this.rooms.values()].map((room) => room.stop()));
	}

	// Workers: no timers or background loops survive between requests, so the bridge runs in passes instead of
	// `start()`: `afterRequest()` in the request's `ctx.waitUntil`, `scheduled()` from the cron (every minute).

	/**
	 * After a request (Workers, in `ctx.waitUntil`): runs bknd's async listeners of that request's writes, waits
	 * until their changes are in the outbox, then delivers every room with pending events (until empty or the
	 * room fails: the cron tries again).
	 */
	async afterRequest(): Promise<void> {
		if (!this.app) return;
		// The sweeps `start()` runs on a timer on Node, here at most once per interval, on the back of requests: the
		// first pass of an isolate settles what a crash left, later ones catch writes made outside any request
		// (the seed, while the app builds) within seconds instead of at the next cron.
		const now = Date.now();
		const firstPass = this.lastPassSweep === 0;
		if (this.sweeper && now - this.lastPassSweep >= (this.options.sweepIntervalMs ?? 2_000)) {
			this.lastPassSweep = now;
			await this.sweeper.sweep().catch((error) => this.log(`live bridge: ${describe(error)}`));
		}
		await this.app.emgr.executeAsyncs().catch((error) => this.log(`live bridge: ${describe(error)}`));
		await this.recorder.flush();
		// Only the rooms that just got events, so a read costs no outbox query; a room that failed waits for its
		// next event or the cron. The first pass of an isolate resumes every pending room, as `start()` does.
		const rooms = [...this.woken];
		this.woken.clear();
		await (firstPass ? this.deliverPending() : this.deliverRooms(rooms));
	}

	/** The cron (Workers): a sweep (crash gaps, bulk writes, leftover delete intents), pruning, then delivery. */
	async scheduled(): Promise<void> {
		if (!this.sweeper) return;
		await this.sweeper.sweep();
		await this.recorder.flush();
		await this.prune();
		await this.deliverPending();
	}

	/** One delivery pass over every room with pending events. */
	async deliverPending(): Promise<void> {
		if (this.target) await this.deliverRooms(await this.outbox.roomsWithPending());
	}

	private async deliverRooms(rooms: readonly string[]): Promise<void> {
		if (!this.target) return;
		const target = this.target;
		await Promise.all(
			rooms.map((name) => {
				const pass = (this.passes.get(name) ?? Promise.resolve()).then(() =>
					new RoomDelivery(name, this.outbox, target, this.policy, this.log).drain()
				);
				this.passes.set(name, pass);
				return pass;
			})
		);
	}

	/** Runs a sweep now (after a bulk write: those emit no events) and resolves when it is done. */
	sweepNow(): Promise<void> {
		return this.sweeper && !this.stopped ? this.sweeper.sweep() : Promise.resolve();
	}

	/** Before a bulk delete: writes the intents of the rows `where` selects. Resolves to those rows' ids. */
	async beforeBulkDelete(entity: ShownEntity, where: unknown): Promise<string[]> {
		if (!this.app) return [];
		try {
			const { data } = await this.app.em.repo(entity).findMany({ where: where as never, limit: Number.MAX_SAFE_INTEGER });
			const rows = data as Row[];
			await this.recordDeleteIntents(entity, rows);
			return rows.map((row) => String(row.id));
		} catch (error) {
			this.log(`live bridge: bulk delete of ${entity}: intents not written (${describe(error)}); events follow bknd's answer only.`);
			return [];
		}
	}

	/**
	 * After a bulk delete: bknd answers the deleted rows (DELETE … RETURNING); each becomes a delete event (from
	 * its intent). When bknd answered an error nothing was deleted and the intents are dropped; when its answer
	 * cannot be read the intents stay and the sweeper settles them by looking at the rows.
	 */
	async afterBulkDelete(entity: ShownEntity, intended: readonly string[], deleted: Row[] | null | 'not-deleted'): Promise<void> {
		if (deleted === 'not-deleted') {
			await this.intents.clear(intended.map((rowId) => ({ entity, rowId }))).catch((error) => this.log(`live bridge: ${describe(error)}`));
			return;
		}
		const at = new Date().toISOString();
		for (const row of deleted ?? []) this.recorder.offer({ kind: 'row', entity, op: 'delete', row, at });
	}

	private async recordDeleteIntents(entity: ShownEntity, rows: Row[]): Promise<void> {
		const at = new Date().toISOString();
		const intents: { entity: ShownEntity; rowId: string; built: BuiltEvent }[] = [];
		for (const row of rows) {
			const built = toEvent(entity, 'delete', row, await rowTenant(this.db, entity, row), at);
			if ('error' in built) this.log(`live bridge: not published: ${built.error}`);
			else intents.push({ entity, rowId: String(row.id), built });
		}
		await this.intents.record(intents);
	}

	private wake(rooms: Set<string>): void {
		if (this.stopped) return;
		if (!this.started) {
			// Passes mode (Workers; or before start() on Node, where start() resumes every pending room anyway).
			for (const room of rooms) this.woken.add(room);
			return;
		}
		for (const room of rooms) this.room(room)?.kick();
	}

	private room(name: string): RoomDelivery | null {
		if (!this.target || this.stopped) return null;
		let room = this.rooms.get(name);
		if (!room) {
			room = new RoomDelivery(name, this.outbox, this.target, this.policy, this.log);
			this.rooms.set(name, room);
			room.start();
		}
		return room;
	}

	private async prune(): Promise<void> {
		const now = Date.now();
		await this.outbox.prune(now - (this.options.deliveredRetentionMs ?? 60 * 60_000), now - (this.options.refusedRetentionMs ?? 7 * 24 * 60 * 60_000));
	}
}
