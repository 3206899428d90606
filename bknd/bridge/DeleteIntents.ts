import type { Sql, SqlStatement } from '../sql/Sql';
import { liveEventSchema } from '../../shared/live/events';
import { DELETE_INTENTS_TABLE } from './bridgeTables';
import { isShownEntity, type BuiltEvent, type ShownEntity } from './toEvent';

// A deleted row leaves nothing for the sweeper to find, so a crash between bknd's DELETE and the outbox write
// (no transactions: docs/bknd.md) would lose the delete event for good. So before a delete runs we write its event
// here ("this row is about to go"): a sync `mutator-delete-before` listener for single deletes, the bulk-write
// middleware for bulk deletes (which emit no events). After the delete, the event moves to the outbox and the
// intent is cleared. An intent that outlives that (crash, or a delete that failed) is settled by the sweeper
// by looking at the row: gone means the delete happened and its event is queued; still there means it did
// not and the intent is dropped. Reading the rows of a bulk delete without the guard's filter can only find
// more rows than bknd deletes, never fewer, and the rows it does not delete stay and are dropped this way.

export interface DeleteIntent {
	entity: ShownEntity;
	rowId: string;
	built: BuiltEvent;
	createdAt: number;
}

export class DeleteIntents {
	constructor(private readonly db: Sql) {}

	/** Records deletes about to run (a newer intent for the same row replaces the older one). */
	async record(intents: readonly { entity: ShownEntity; rowId: string | number; built: BuiltEvent }[]): Promise<void> {
		if (intents.length === 0) return;
		const now = Date.now();
		const statements: SqlStatement[] = intents.map(({ entity, rowId, built }) => ({
			sql: `INSERT OR REPLACE INTO ${DELETE_INTENTS_TABLE} (entity, row_id, event, change_key, created_at) VALUES (?, ?, ?, ?, ?)`,
			args: [entity, String(rowId), JSON.stringify(built.event), built.key, now]
		}));
		await this.db.batch(statements);
	}

	/** The intent recorded for this row, if any. */
	async find(entity: ShownEntity, rowId: string | number): Promise<DeleteIntent | null> {
		const result = await this.db.execute({
			sql: `SELECT entity, row_id, event, change_key, created_at FROM ${DELETE_INTENTS_TABLE} WHERE entity = ? AND row_id = ?`,
			args: [entity, String(rowId)]
		});
		return result.rows[0] ? toIntent(result.rows[0]) : null;
	}

	/** Intents recorded before `before` (unix ms), oldest first; all of them without `before`. */
	async older(before?: number): Promise<DeleteIntent[]> {
		const result = await this.db.execute({
			sql: `SELECT entity, row_id, event, change_key, created_at FROM ${DELETE_INTENTS_TABLE}${before === undefined ? '' : ' WHERE created_at < ?'} ORDER BY created_at`,
			args: before === undefined ? [] : [before]
		});
		const intents: DeleteIntent[] = [];
		for (const row of result.rows) {
			const intent = toIntent(row);
			if (intent) intents.push(intent);
			// Unreadable (edited by hand, or an entity no longer shown): nothing can be published from it.
			else await this.db.execute({ sql: `DELETE FROM ${DELETE_INTENTS_TABLE} WHERE entity = ? AND row_id = ?`, args: [String(row.entity), String(row.row_id)] });
		}
		return intents;
	}

	/** Forgets these intents (their event is queued, or the delete did not happen). */
	async clear(rows: readonly { entity: ShownEntity; rowId: string | number }[]): Promise<void> {
		if (rows.length === 0) return;
		await this.db.batch(
			rows.map(({ entity, rowId }) => ({ sql: `DELETE FROM ${DELETE_INTENTS_TABLE} WHERE entity = ? AND row_id = ?`, args: [entity, String(rowId)] }))
		);
	}
}

function toIntent(row: Record<string, unknown>): DeleteIntent | null {
	const entity = String(row.entity);
	if (!isShownEntity(entity)) return null;
	let event: unknown;
	try {
		event = JSON.parse(String(row.event));
	} catch {
		return null;
	}
	const parsed = liveEventSchema.safeParse(event);
	if (!parsed.success) return null;
	return { entity, rowId: String(row.row_id), built: { event: parsed.data, key: String(row.change_key) }, createdAt: Number(row.created_at) };
}
