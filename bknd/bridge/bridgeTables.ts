import type { Sql } from '../sql/Sql';

// The bridge keeps its state in plain tables of bknd's own database (the SQLite file on Node, D1 on Workers),
// created here through our Sql on it (sql/Sql.ts), rather than as bknd entities:
// - an entity would be a REST resource (`/api/data/entity/live_outbox`): an admin could read or edit the
//   queue, and we would need policies and hardening for it;
// - writes through bknd's mutator emit mutator events again (the bridge would listen to itself) and pay for
//   validation we do not need; the queue needs `INSERT OR IGNORE`, multi-row inserts and batch transactions;
// - every name contains "bknd": bknd's schema diff skips such tables (`/bknd/.test(name)` in its getDiff), so
//   neither the add-only sync nor bknd/migrate.ts --apply-drops ever lists them as drops.
// Same database: the outbox is exactly as durable as the rows it describes (WAL on Node, see server.ts).

export const OUTBOX_TABLE = 'bknd_live_outbox';
export const STATE_TABLE = 'bknd_live_state';
export const DELETE_INTENTS_TABLE = 'bknd_live_delete_intents';

/** Outbox row states. */
export const OUTBOX_STATE = { pending: 0, delivered: 1, refused: 2 } as const;

const DDL = [
	// One row per (event, target room). `seq` (AUTOINCREMENT: never reused after pruning) is the delivery order.
	// `change_key` names the row version (toEvent.ts changeKey): unique per room, so the listener, a sweep and a
	// replayed delete intent can all offer the same change and only the first is kept.
	`CREATE TABLE IF NOT EXISTS ${OUTBOX_TABLE} (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		room TEXT NOT NULL,
		change_key TEXT NOT NULL,
		event_id TEXT NOT NULL,
		event TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		state INTEGER NOT NULL DEFAULT 0,
		done_at INTEGER
	)`,
	`CREATE UNIQUE INDEX IF NOT EXISTS ${OUTBOX_TABLE}_change ON ${OUTBOX_TABLE} (change_key, room)`,
	`CREATE INDEX IF NOT EXISTS ${OUTBOX_TABLE}_queue ON ${OUTBOX_TABLE} (room, state, seq)`,
	`CREATE INDEX IF NOT EXISTS ${OUTBOX_TABLE}_done ON ${OUTBOX_TABLE} (state, done_at)`,
	// Small durable values: the sweeper's mark.
	`CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
	// A delete about to happen, written before it (see DeleteIntents.ts).
	`CREATE TABLE IF NOT EXISTS ${DELETE_INTENTS_TABLE} (
		entity TEXT NOT NULL,
		row_id TEXT NOT NULL,
		event TEXT NOT NULL,
		change_key TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		PRIMARY KEY (entity, row_id)
	)`
];

/** Creates the bridge's tables and indexes when missing (idempotent, on every boot). */
export async function createBridgeTables(db: Sql): Promise<void> {
	await db.batch(DDL.map((sql) => ({ sql })));
}

/** Reads one durable value. */
export async function readState(db: Sql, key: string): Promise<string | null> {
	const result = await db.execute({ sql: `SELECT value FROM ${STATE_TABLE} WHERE key = ?`, args: [key] });
	const value = result.rows[0]?.value;
	return typeof value === 'string' ? value : null;
}

/** Writes one durable value. */
export async function writeState(db: Sql, key: string, value: string): Promise<void> {
	await db.execute({
		sql: `INSERT INTO ${STATE_TABLE} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		args: [key, value]
	});
}
