import type { Sql } from '../sql/Sql';
import type { LiveOp } from '../../shared/live/events';
import type { DeleteIntents } from './DeleteIntents';
import type { Outbox } from './Outbox';
import { rowTenant } from './rowTenant';
import { toEvent, type BuiltEvent, type Row, type ShownEntity } from './toEvent';

// Turns changes into outbox rows, one writer at a time and in the order the changes were offered. bknd runs
// our async listeners after each response, in write order; `offer` only pushes onto this queue (no I/O,
// cannot throw), so the order of the outbox is the order of the writes even when a tenant lookup of one
// change takes longer than the next write. A failed outbox write is logged and dropped: the sweeper finds
// inserted and updated rows again by `updated_at`, and a delete's intent stays until it is settled.

export type Change =
	/** A row as bknd returned it (listener, sweep, bulk delete answer). `at` is given for deletes. */
	| { kind: 'row'; entity: ShownEntity; op: LiveOp; row: Row; at?: string }
	/** An event built earlier (a settled delete intent), and the intent to clear once it is queued. */
	| { kind: 'built'; built: BuiltEvent; intent?: { entity: ShownEntity; rowId: string } };

export type BridgeLog = (message: string) => void;

/** How many changes go to the outbox in one transaction. */
const WRITE_BATCH = 200;

export class EventRecorder {
	private readonly queue: Change[] = [];
	private draining: Promise<void> | null = null;

	constructor(
		private readonly db: Sql,
		private readonly outbox: Outbox,
		private readonly intents: DeleteIntents,
		/** Told which rooms got new events (their delivery wakes up). */
		private readonly onQueued: (rooms: Set<string>) => void,
		private readonly log: BridgeLog
	) {}

	/** Queues a change for the outbox. Synchronous and never throws: safe inside bknd's listeners. */
	offer(change: Change): void {
		this.queue.push(change);
		this.schedule();
	}

	/** Resolves once every change offered before the call is in the outbox (or was logged as lost). */
	async flush(): Promise<void> {
		while (this.draining) await this.draining;
	}

	/** Changes offered but not written yet. */
	get backlog(): number {
		return this.queue.length;
	}

	private schedule(): void {
		if (this.draining) return;
		this.draining = (async () => {
			try {
				while (this.queue.length > 0) await this.write(this.queue.splice(0, WRITE_BATCH));
			} finally {
				this.draining = null;
			}
		})();
	}

	private async write(changes: Change[]): Promise<void> {
		try {
			const built: BuiltEvent[] = [];
			const cleared: { entity: ShownEntity; rowId: string }[] = [];
			// Tenants are looked up once per batch: a sweep or a bulk write brings many rows of few projects.
			const tenants = new Map<string, Promise<string | null>>();
			for (const change of changes) {
				if (change.kind === 'built') {
					built.push(change.built);
					if (change.intent) cleared.push(change.intent);
					continue;
				}
				const { entity, op, row } = change;
				if (op === 'delete' && row.id !== undefined && row.id !== null) {
					// The intent written before the delete already holds its event: reuse it, so a crash-time replay
					// of the intent and this listener name the same event.
					const intent = await this.intents.find(entity, String(row.id));
					if (intent) {
						built.push(intent.built);
						cleared.push({ entity, rowId: intent.rowId });
						continue;
					}
				}
				const tenantKey = `${entity}:${String(row.clients_id ?? '')}:${String(row.projects_id ?? '')}:${String(row.slug ?? '')}`;
				let tenant = tenants.get(tenantKey);
				if (!tenant) tenants.set(tenantKey, (tenant = rowTenant(this.db, entity, row)));
				const result = toEvent(entity, op, row, await tenant, change.at);
				if ('error' in result) this.log(`live bridge: not published: ${result.error}`);
				else built.push(result);
			}
			const rooms = await this.outbox.add(built);
			await this.intents.clear(cleared);
			if (rooms.size > 0) this.onQueued(rooms);
		} catch (error) {
			this.log(`live bridge: ${changes.length} change(s) not written to the outbox (the sweeper will find rows again): ${describe(error)}`);
		}
	}
}

export function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
