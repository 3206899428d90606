import type { PresenceUser } from '../../../../shared/protocol';

/** Someone's pointer on a frame. */
export interface Cursor {
	clientId: number;
	user: PresenceUser;
	x: number;
	y: number;
}

/** A person in the room as `RoomClient.people()` lists them. */
export interface RoomPerson {
	clientId: number;
	user: PresenceUser;
	fields: Record<string, unknown>;
}

const unit = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

/** The cursors of others on `frameId` (peers are untrusted: malformed cursors are skipped). */
export function cursorsOn(people: readonly RoomPerson[], frameId: string, selfClientId: number): Cursor[] {
	const out: Cursor[] = [];
	for (const { clientId, user, fields } of people) {
		if (clientId === selfClientId) continue;
		const cursor = fields.cursor as { frameId?: unknown; x?: unknown; y?: unknown } | null | undefined;
		if (!cursor || cursor.frameId !== frameId || !unit(cursor.x) || !unit(cursor.y)) continue;
		out.push({ clientId, user, x: cursor.x, y: cursor.y });
	}
	return out;
}

/** The user ids with a cursor on `frameId` (others and oneself), for "on this frame" avatars. */
export function userIdsOn(people: readonly RoomPerson[], frameId: string): Set<string> {
	const ids = new Set<string>();
	for (const { user, fields } of people) {
		const cursor = fields.cursor as { frameId?: unknown } | null | undefined;
		if (cursor?.frameId === frameId) ids.add(user.userId);
	}
	return ids;
}

export interface Throttled<A extends unknown[]> {
	(...args: A): void;
	/** Drops a pending trailing call. */
	cancel(): void;
}

/**
 * `fn` called at most once per `ms`: the first call runs at once, later ones within the window are merged
 * into one trailing call with the latest arguments (so the last cursor position always goes out).
 */
export function throttle<A extends unknown[]>(
	fn: (...args: A) => void,
	ms: number,
	clock: { now: () => number; set: (run: () => void, ms: number) => unknown; clear: (timer: unknown) => void } = {
		now: () => Date.now(),
		set: (run, delay) => setTimeout(run, delay),
		clear: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>)
	}
): Throttled<A> {
	let last = -Infinity;
	let timer: unknown = null;
	let pending: A | null = null;
	const run = () => {
		timer = null;
		if (!pending) return;
		const args = pending;
		pending = null;
		last = clock.now();
		fn(...args);
	};
	const throttled = ((...args: A) => {
		pending = args;
		const wait = last + ms - clock.now();
		if (wait <= 0 && timer === null) run();
		else if (timer === null) timer = clock.set(run, Math.max(0, wait));
	}) as Throttled<A>;
	throttled.cancel = () => {
		if (timer !== null) clock.clear(timer);
		timer = null;
		pending = null;
	};
	return throttled;
}
