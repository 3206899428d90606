import type { Sql } from '../sql/Sql';
import type { App } from 'bknd';
import { readState, writeState } from './bridgeTables';
import type { DeleteIntents } from './DeleteIntents';
import { describe, type BridgeLog, type EventRecorder } from './EventRecorder';
import type { Outbox } from './Outbox';
import { changeKey, rowRevision, SHOWN_ENTITIES, sweptOp, type Row, type ShownEntity } from './toEvent';

// The safety net for events the listeners never delivered to the outbox. bknd has no transactions (docs/bknd.md):
// the row is committed, then our async listener writes the outbox, and a crash in between loses the event;
// bulk inserts and updates emit no events at all; and a write made through `app.em` outside a request waits
// for the next request before its listener runs. Every such row still carries a fresh `updated_at` (stamped
// by dataRules.ts or bulkWrites.ts), so the sweeper reads, at boot, every `sweepIntervalMs` and right after a
// bulk write, the rows whose `updated_at` is after its durable mark, and queues those whose change is not in
// the outbox yet, with the event id the listener would have used (toEvent.ts `sweptOp`): the room keeps one.
//
// The mark trails each sweep's start by `lagMs`, because `updated_at` is stamped just BEFORE its row commits:
// a row stamped at t may become visible a moment later, after a sweep that started after t. Any write
// committing within `lagMs` of its stamp is therefore seen by a later sweep; rows of that window are read
// again by each sweep, and the outbox check makes that cheap. The mark moves only once the swept rows are in
// the outbox, so a crash at any point leaves the next boot's sweep starting early enough.
//
// The sweeper also settles delete intents left behind (DeleteIntents.ts).

const MARK_KEY = 'sweep_mark';
const PAGE = 500;

export interface SweeperOptions {
	/** How far the mark trails a sweep's start (longer than any write takes from stamp to commit). */
	lagMs: number;
	/** A delete intent younger than this may belong to a delete still running: left for a later sweep. */
	intentGraceMs: number;
}

export class Sweeper {
	private active: Promise<void> | null = null;
	private requested = false;
	private waiters: Array<() => void> = [];
	private boot = true;

	constructor(
		private readonly app: App,
		private readonly db: Sql,
		private readonly outbox: Outbox,
		private readonly intents: DeleteIntents,
		private readonly recorder: EventRecorder,
		private readonly options: SweeperOptions,
		private readonly log: BridgeLog
	) {}

	/** The first boot with a bridge starts its mark now: older rows were never promised to anyone. */
	async init(): Promise<void> {
		if ((await readState(this.db, MARK_KEY)) === null) await writeState(this.db, MARK_KEY, iso(Date.now() - this.options.lagMs));
	}

	/** Runs a sweep; resolves once one that started after this call has finished (calls during a sweep share the next). */
	sweep(): Promise<void> {
		this.requested = true;
		const done = new Promise<void>((resolve) => this.waiters.push(resolve));
		this.active ??= this.loop();
		return done;
	}

	/** Resolves when no sweep is running. */
	async idle(): Promise<void> {
		while (this.active) await this.active;
	}

	private async loop(): Promise<void> {
		while (this.requested) {
			this.requested = false;
			const waiters = this.waiters.splice(0);
			try {
				await this.sweepOnce();
			} catch (error) {
				this.log(`live bridge: sweep failed (the next one starts from the same mark): ${describe(error)}`);
			}
			for (const resolve of waiters) resolve();
		}
		this.active = null;
	}

	private async sweepOnce(): Promise<void> {
		const startedAt = Date.now();
		// Changes the listeners already offered go first: the outbox keeps write order, and their op is known.
		await this.recorder.flush();
		const mark = (await readState(this.db, MARK_KEY)) ?? iso(startedAt - this.options.lagMs);
		for (const entity of SHOWN_ENTITIES) await this.sweepEntity(entity, mark);
		// At boot nothing is running: every intent is settled. Later, only those older than any running delete.
		await this.settleIntents(this.boot ? undefined : startedAt - this.options.intentGraceMs);
		this.boot = false;
		await this.recorder.flush();
		const next = iso(startedAt - this.options.lagMs);
		if (next > mark) await writeState(this.db, MARK_KEY, next);
	}

	private async sweepEntity(entity: ShownEntity, mark: string): Promise<void> {
		for (let offset = 0; ; offset += PAGE) {
			// The candidates by plain SQL on the `updated_at` index: this runs every 2 s beside live writes, and
			// bknd's repository costs milliseconds per query. `entity` is one of SHOWN_ENTITIES, safe to name.
			const { rows } = await this.db.execute({
				sql: `SELECT id, created_at, updated_at FROM ${entity} WHERE updated_at > ? ORDER BY updated_at, id LIMIT ? OFFSET ?`,
				args: [mark, PAGE, offset]
			});
			const keyed = rows.flatMap((row) => {
				const revision = rowRevision(row);
				const id = Number(row.id);
				return revision === null ? [] : [{ id, key: changeKey(entity, id, sweptOp(row), revision) }];
			});
			const known = await this.outbox.knownKeys(keyed.map((k) => k.key));
			const missing = keyed.filter((k) => !known.has(k.key)).map((k) => k.id);
			if (missing.length > 0) {
				// Through bknd's repository, not raw SQL: the rows must look exactly as the listeners receive them
				// (dates as ISO datetimes, JSON parsed) so both build the same event.
				const full = await this.app.em.repo(entity).findMany({ where: { id: { $in: missing } }, sort: { by: 'updated_at', dir: 'asc' }, limit: missing.length });
				for (const row of full.data as Row[]) this.recorder.offer({ kind: 'row', entity, op: sweptOp(row), row });
			}
			if (rows.length < PAGE) return;
		}
	}

	private async settleIntents(before: number | undefined): Promise<void> {
		const intents = await this.intents.older(before);
		const dropped: { entity: ShownEntity; rowId: string }[] = [];
		for (const intent of intents) {
			// `intent.entity` is one of SHOWN_ENTITIES (checked when read), so naming the table is safe.
			const found = await this.db.execute({ sql: `SELECT 1 FROM ${intent.entity} WHERE id = ?`, args: [intent.rowId] });
			if (found.rows.length === 0) {
				this.recorder.offer({ kind: 'built', built: intent.built, intent: { entity: intent.entity, rowId: intent.rowId } });
			} else {
				dropped.push({ entity: intent.entity, rowId: intent.rowId });
			}
		}
		await this.intents.clear(dropped);
	}
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}
