// Every insert and update stamps `updated_at` (dataRules.ts for single writes, bulkWrites.ts for bulk ones).
// The stamp is the row's revision: the live event id is `rowEventId(entity, id, op, updated_at)`
// (shared/live/events.ts), so the listener and a later sweep of the same row version name the same event and
// the room keeps one. Two writes of one row in the same millisecond must therefore get different stamps, or
// the room would drop the second as a duplicate: the clock below never hands out the same value twice in a
// process, and never goes backwards while the wall clock does not.

let last = 0;

/** A fresh ISO timestamp, strictly later than every one this process returned before. */
export function nextRevision(now: number = Date.now()): string {
	last = Math.max(now, last + 1);
	return new Date(last).toISOString();
}

/** A stored `updated_at` as the canonical ISO string the event ids use, or null when absent or unreadable. */
export function canonicalRevision(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	const time = value instanceof Date ? value.getTime() : Date.parse(String(value));
	return Number.isFinite(time) ? new Date(time).toISOString() : null;
}
