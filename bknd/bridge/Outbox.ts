import type { Sql, SqlStatement } from '../sql/Sql';
import { liveRoomsFor } from '../../shared/live/events';
import { OUTBOX_STATE, OUTBOX_TABLE } from './bridgeTables';
import type { BuiltEvent } from './toEvent';

// The durable queue between bknd's writes and the live rooms: one row per (event, target room), delivered per
// room in `seq` order (RoomDelivery.ts), marked delivered after the room's 200, pruned later. An event is
// offered by the listener, by a sweep or by a delete intent; `change_key` keeps the first of them.

/** One queued event of one room, as stored. */
export interface QueuedEvent {
	seq: number;
	eventId: string;
	/** The event's JSON, exactly as it will be sent. */
	json: string;
}

export class Outbox {
	constructor(private readonly db: Sql) {}

	/**
	 * Queues each event for each of its rooms (tenant room + `fataplus`) in one transaction; a change already
	 * queued for a room is ignored. Resolves to the rooms that got something new.
	 */
	async add(events: readonly BuiltEvent[]): Promise<Set<string>> {
		if (events.length === 0) return new Set();
		const now = Date.now();
		const statements: SqlStatement[] = [];
		const rooms: string[] = [];
		for (const { event, key } of events) {
			const json = JSON.stringify(event);
			for (const room of liveRoomsFor(event)) {
				rooms.push(room);
				statements.push({
					sql: `INSERT OR IGNORE INTO ${OUTBOX_TABLE} (room, change_key, event_id, event, created_at) VALUES (?, ?, ?, ?, ?)`,
					args: [room, key, event.id, json, now]
				});
			}
		}
		const results = await this.db.batch(statements);
		const touched = new Set<string>();
		results.forEach((result, i) => {
			if (result.changes > 0) touched.add(rooms[i]!);
		});
		return touched;
	}

	/** Which of these change keys are already queued (for any room). */
	async knownKeys(keys: readonly string[]): Promise<Set<string>> {
		const known = new Set<string>();
		// SQLite's bound-parameter limit is far above this; chunks keep each statement small.
		for (let i = 0; i < keys.length; i += 500) {
			const chunk = keys.slice(i, i + 500);
			const result = await this.db.execute({
				sql: `SELECT DISTINCT change_key FROM ${OUTBOX_TABLE} WHERE change_key IN (${chunk.map(() => '?').join(',')})`,
				args: chunk
			});
			for (const row of result.rows) known.add(String(row.change_key));
		}
		return known;
	}

	/** The oldest undelivered events of `room`, at most `maxEvents` and about `maxBytes` of JSON (at least one). */
	async next(room: string, maxEvents: number, maxBytes: number): Promise<QueuedEvent[]> {
		const result = await this.db.execute({
			sql: `SELECT seq, event_id, event FROM ${OUTBOX_TABLE} WHERE room = ? AND state = ? ORDER BY seq LIMIT ?`,
			args: [room, OUTBOX_STATE.pending, maxEvents]
		});
		const batch: QueuedEvent[] = [];
		let bytes = 0;
		for (const row of result.rows) {
			const json = String(row.event);
			bytes += json.length + 1;
			if (batch.length > 0 && bytes > maxBytes) break;
			batch.push({ seq: Number(row.seq), eventId: String(row.event_id), json });
		}
		return batch;
	}

	/** The room answered 200 for these. */
	async markDelivered(seqs: readonly number[]): Promise<void> {
		await this.setState(seqs, OUTBOX_STATE.delivered);
	}

	/** The room refuses these for good (400 on a single event): kept aside, logged, no longer blocking the room. */
	async markRefused(seqs: readonly number[]): Promise<void> {
		await this.setState(seqs, OUTBOX_STATE.refused);
	}

	/** Rooms with something left to deliver (resumed at boot). */
	async roomsWithPending(): Promise<string[]> {
		const result = await this.db.execute({
			sql: `SELECT DISTINCT room FROM ${OUTBOX_TABLE} WHERE state = ?`,
			args: [OUTBOX_STATE.pending]
		});
		return result.rows.map((row) => String(row.room));
	}

	/** How many events wait for `room` (all rooms without one). */
	async pendingCount(room?: string): Promise<number> {
		const result = await this.db.execute({
			sql: `SELECT COUNT(*) AS n FROM ${OUTBOX_TABLE} WHERE state = ?${room ? ' AND room = ?' : ''}`,
			args: room ? [OUTBOX_STATE.pending, room] : [OUTBOX_STATE.pending]
		});
		return Number(result.rows[0]?.n ?? 0);
	}

	/** Deletes delivered rows finished before `deliveredBefore` and refused ones before `refusedBefore` (unix ms). */
	async prune(deliveredBefore: number, refusedBefore: number): Promise<number> {
		const results = await this.db.batch(
			[
				{ sql: `DELETE FROM ${OUTBOX_TABLE} WHERE state = ? AND done_at < ?`, args: [OUTBOX_STATE.delivered, deliveredBefore] },
				{ sql: `DELETE FROM ${OUTBOX_TABLE} WHERE state = ? AND done_at < ?`, args: [OUTBOX_STATE.refused, refusedBefore] }
			]
		);
		return results.reduce((sum, r) => sum + r.changes, 0);
	}

	private async setState(seqs: readonly number[], state: number): Promise<void> {
		if (seqs.length === 0) return;
		await this.db.execute({
			sql: `UPDATE ${OUTBOX_TABLE} SET state = ?, done_at = ? WHERE seq IN (${seqs.map(() => '?').join(',')})`,
			args: [state, Date.now(), ...seqs]
		});
	}
}
