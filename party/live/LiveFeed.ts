import { CLOSE } from '../../shared/closeCodes';
import type { LoggedEvent } from '../../shared/live/events';
import { visibleEvent, type LiveViewer } from '../../shared/live/visibility';
import { LIVE_RENEWAL_LIMITS, liveClientMessageSchema, type LiveServerMessage } from '../../shared/live/wire';
import { isStaff, type Role } from '../../shared/roles';
import { roleSchema } from '../../shared/roleSchema';
import { utf8Length } from '../../shared/utf8Length';
import { TokenBucket } from '../room/TokenBucket';
import { revocationOf, type Revocation } from './RevocationList';

/**
 * What a live room knows about one watcher, from its verified token. It is the socket's attachment
 * (`conn.setState`), not a field of the room: a hibernating room is rebuilt with its sockets still open and
 * only attachments and storage survive. Kept small: attachments are limited to 2 KiB.
 */
export interface WatcherState {
	v: 1;
	role: Role;
	/** The live room (a tenant slug, or `fataplus`). */
	room: string;
	sub: string;
	/** Token expiry, Unix seconds: the watcher is closed with 4401 then (WatcherExpiry), or when next sent something past it. A renewal moves it. */
	exp: number;
	/** A partner's agency, to match share revocations; `null` for everyone else (and for old partner tokens). */
	partnerId: number | null;
	/** The projects a partner may still see here (shrinks as shares are revoked); empty for other roles. */
	projects: readonly number[];
}

/** The socket as the feed needs it: the PartyServer connection in production, a recording fake in unit tests. */
export interface WatcherSocket {
	readonly id: string;
	/** The attachment last given to `setState` (`null` before; any shape after a deploy: it is checked). */
	readonly state: unknown;
	setState(state: WatcherState): unknown;
	send(data: string): void;
	close(code?: number, reason?: string): void;
}

/** The log as the feed reads it (LiveLog). */
export interface LogReader {
	readonly seq: number;
	readonly first: number;
	read(after: number, upTo: number, limit: number): Promise<LoggedEvent[]>;
}

interface Watcher {
	state: WatcherState;
	viewer: LiveViewer;
}

/** Events per storage read while a joining watcher catches up. */
const CATCH_UP_PAGE = 256;

/** How a watcher whose token expired is closed (at its expiry, or when something is about to be sent to it). */
const EXPIRED = { code: CLOSE.unauthorized, reason: 'token expired: reconnect' } as const;
const NO_PROJECT_LEFT = 'no shared project left in this room';

/**
 * The watchers of one live room: who joins, what each may see of every event, and when one must go.
 * Sends each watcher every event after its `since` that it may see, in order, once; never an internal field,
 * another tenant's row or a revoked project (shared/live/visibility.ts decides what is visible).
 */
export class LiveFeed {
	/** Watchers by socket id: a cache of the attachments, rebuilt from them after hibernation. */
	private readonly watchers = new Map<string, Watcher>();
	/** Sockets still receiving their backlog, with the events published meanwhile (sent right after it). */
	private readonly catchingUp = new Map<string, LoggedEvent[]>();
	/**
	 * Each socket's renewal budget. In memory only: a hibernated room forgets it, but hibernation takes ~10 s
	 * idle, which refills most of the budget anyway (at most one extra renewal gets through).
	 */
	private readonly renewals = new Map<string, TokenBucket>();
	private readonly now: () => number;
	private readonly log: (message: string, error?: unknown) => void;

	constructor(
		private readonly room: string,
		private readonly sockets: () => Iterable<WatcherSocket>,
		{ now = Date.now, log }: { now?: () => number; log?: (message: string, error?: unknown) => void } = {}
	) {
		this.now = now;
		this.log = log ?? ((message, error) => console.error(`[live ${room}] ${message}`, error ?? ''));
	}

	/**
	 * Admits a verified watcher: `hello` with the current `seq`, then every event after `since` it may see
	 * (or `reset` when the log no longer holds them, or `since` is ahead), then live events.
	 *
	 * No gap, no duplicate: the backlog ends at the `seq` read in the same step as the socket starts collecting
	 * published events, and the log publishes an event in the same step as it moves `seq` (LiveLog onCommit),
	 * so every event is either in the backlog or collected, never both.
	 */
	async join(socket: WatcherSocket, state: WatcherState, since: number | null, log: LogReader): Promise<void> {
		try {
			socket.setState(state);
		} catch (error) {
			// The attachment (PartyServer's own part holds the whole connect URL, token included) is over 2 KiB:
			// a partner token listing a few hundred projects. Retrying cannot help, so say so instead of 4500.
			this.log(`watcher ${socket.id} not admitted`, error);
			return this.drop(socket, CLOSE.tooLarge, 'your access lists too many projects for a live room');
		}
		this.watchers.set(socket.id, watcherOf(state));
		const collected: LoggedEvent[] = [];
		this.catchingUp.set(socket.id, collected);
		const upTo = log.seq;
		try {
			this.send(socket, { type: 'hello', room: this.room, seq: upTo });
			if (since !== null) {
				if (since > upTo) this.send(socket, { type: 'reset', seq: upTo, reason: 'ahead' });
				else if (since < log.first - 1) this.send(socket, { type: 'reset', seq: upTo, reason: 'too-old' });
				else if (!(await this.sendBacklog(socket, since, upTo, log, collected))) return;
			}
			for (const event of collected) if (!this.deliver(socket, event)) return;
		} finally {
			if (this.catchingUp.get(socket.id) === collected) this.catchingUp.delete(socket.id);
		}
	}

	/**
	 * Sends new events to every watcher that may see them; called by the log as it commits them. A share
	 * revocation takes effect here, before any later event is sent: the partner's sockets drop the project.
	 */
	publish(events: readonly LoggedEvent[]): void {
		if (events.length === 0) return;
		// One JSON text per event and audience (staff, client, partner): the same for every watcher that sees it.
		const frames = events.map(() => new Map<string, string>());
		const revocations = events.map((event) => revocationOf(event));
		for (const socket of this.sockets()) {
			try {
				const collected = this.catchingUp.get(socket.id);
				for (let i = 0; i < events.length; i++) {
					const revocation = revocations[i];
					if (revocation && !this.revoke(socket, revocation)) break;
					if (collected) collected.push(events[i]!);
					else if (!this.deliver(socket, events[i]!, frames[i])) break;
				}
			} catch (error) {
				// One broken socket must not stop the others' feed.
				this.log(`sending to ${socket.id} failed`, error);
			}
		}
	}

	/** Forgets a socket that closed. */
	leave(socket: Pick<WatcherSocket, 'id'>): void {
		this.watchers.delete(socket.id);
		this.catchingUp.delete(socket.id);
		this.renewals.delete(socket.id);
	}

	/**
	 * A frame from a watcher. The only one allowed is a token renewal: returns its token to verify, or `null`
	 * once the socket is closed (4400 anything else, 4413 over 8 KiB, 4429 too many renewals).
	 */
	renewalToken(socket: WatcherSocket, data: string | ArrayBuffer | ArrayBufferView): string | null {
		if (!this.watcher(socket)) return this.refuse(socket, CLOSE.badMessage, 'not admitted yet');
		if (typeof data !== 'string') return this.refuse(socket, CLOSE.badMessage, 'live rooms accept only token renewals');
		const max = LIVE_RENEWAL_LIMITS.frameBytes;
		// Bytes, not UTF-16 units: a string longer than `max` units is over `max` bytes without counting.
		if (data.length > max || utf8Length(data) > max) return this.refuse(socket, CLOSE.tooLarge, `message over ${max} bytes`);
		let bucket = this.renewals.get(socket.id);
		if (!bucket) this.renewals.set(socket.id, (bucket = new TokenBucket(LIVE_RENEWAL_LIMITS.perSecond, LIVE_RENEWAL_LIMITS.burst, this.now())));
		if (!bucket.take(this.now())) return this.refuse(socket, CLOSE.rateLimited, 'too many token renewals');
		let json: unknown;
		try {
			json = JSON.parse(data);
		} catch {
			json = null;
		}
		const message = liveClientMessageSchema.safeParse(json);
		if (!message.success) return this.refuse(socket, CLOSE.badMessage, 'live rooms accept only token renewals');
		return message.data.token;
	}

	/**
	 * A renewed token, verified for this room, as the watcher it would make (`renewed`). Same user, role and
	 * agency, and no project the socket does not already have: the socket's token expiry moves and it is
	 * answered `auth-ok`; projects the new token no longer admits are dropped as a revocation drops them.
	 * Returns the new expiry (Unix seconds), or `null` when the socket was closed instead.
	 */
	renew(socket: WatcherSocket, renewed: WatcherState): number | null {
		const watcher = this.watcher(socket);
		if (!watcher || this.expired(socket, watcher)) return null;
		const { state } = watcher;
		if (renewed.sub !== state.sub) return this.refuse(socket, CLOSE.forbidden, 'a renewed token must be for the same user');
		// More (or other) access cannot start mid-stream: the page's snapshot lacks it. A new connection brings it.
		if (renewed.role !== state.role || renewed.partnerId !== state.partnerId || renewed.projects.some((p) => !state.projects.includes(p))) {
			return this.refuse(socket, CLOSE.unauthorized, 'your access changed: reconnect');
		}
		const next: WatcherState = { ...state, exp: renewed.exp, projects: state.projects.filter((p) => renewed.projects.includes(p)) };
		socket.setState(next);
		this.watchers.set(socket.id, watcherOf(next));
		for (const projectId of state.projects) if (!next.projects.includes(projectId)) this.send(socket, { type: 'revoked', projectId });
		if (state.role === 'partner' && next.projects.length === 0) return this.refuse(socket, CLOSE.forbidden, NO_PROJECT_LEFT);
		this.send(socket, { type: 'auth-ok', expiresAt: next.exp * 1000 });
		return next.exp;
	}

	/** `drop`, for the renewal paths that answer `null` once the socket is closed. */
	private refuse(socket: WatcherSocket, code: number, reason: string): null {
		this.drop(socket, code, reason);
		return null;
	}

	/** Closes a socket and forgets it (already closed: nothing happens). */
	drop(socket: WatcherSocket, code: number, reason: string): void {
		this.leave(socket);
		try {
			socket.close(code, reason);
		} catch {
			// already closed
		}
	}

	/** Sends the events in `(since, upTo]`; false when the socket went away meanwhile. */
	private async sendBacklog(socket: WatcherSocket, since: number, upTo: number, log: LogReader, collected: LoggedEvent[]): Promise<boolean> {
		let cursor = since;
		while (cursor < upTo) {
			const page = await log.read(cursor, upTo, CATCH_UP_PAGE);
			if (this.catchingUp.get(socket.id) !== collected) return false;
			const start = cursor;
			for (const event of page) {
				if (event.seq !== cursor + 1) break;
				if (!this.deliver(socket, event)) return false;
				cursor = event.seq;
			}
			if (cursor === start || cursor !== page[page.length - 1]!.seq) {
				// Pruned while we read: the rest is gone, so the watcher must reload; it carries on after `upTo`.
				this.send(socket, { type: 'reset', seq: upTo, reason: 'too-old' });
				return true;
			}
		}
		return true;
	}

	/** Sends `event` if the watcher may see it; false (and the socket closed) when its token expired. */
	private deliver(socket: WatcherSocket, event: LoggedEvent, frames?: Map<string, string>): boolean {
		const watcher = this.watcher(socket);
		if (!watcher) return false;
		const visible = visibleEvent(watcher.viewer, event);
		if (!visible) return true;
		if (this.expired(socket, watcher)) return false;
		const audience = isStaff(watcher.state.role) ? 'staff' : watcher.state.role;
		let frame = frames?.get(audience);
		if (frame === undefined) {
			frame = JSON.stringify({ type: 'event', seq: event.seq, event: visible } satisfies LiveServerMessage);
			frames?.set(audience, frame);
		}
		socket.send(frame);
		return true;
	}

	/** Drops a revoked project from a partner's socket at once; false when the socket was closed. */
	private revoke(socket: WatcherSocket, revocation: Revocation): boolean {
		const watcher = this.watcher(socket);
		if (!watcher) return false;
		const { state } = watcher;
		if (state.role !== 'partner' || !state.projects.includes(revocation.projectId)) return true;
		// A token without an agency id, or a revocation without one, cannot be told apart: the project goes.
		if (state.partnerId !== null && revocation.partnerId !== null && state.partnerId !== revocation.partnerId) return true;
		const next: WatcherState = { ...state, projects: state.projects.filter((p) => p !== revocation.projectId) };
		socket.setState(next);
		this.watchers.set(socket.id, watcherOf(next));
		if (this.expired(socket, watcher)) return false;
		this.send(socket, { type: 'revoked', projectId: revocation.projectId });
		if (next.projects.length === 0) {
			this.drop(socket, CLOSE.forbidden, NO_PROJECT_LEFT);
			return false;
		}
		return true;
	}

	/**
	 * Closes with 4401 a watcher whose token expired, when something is about to be sent to it. WatcherExpiry
	 * closes the others at their expiry; this catches one whose alarm has not rung yet.
	 */
	private expired(socket: WatcherSocket, watcher: Watcher): boolean {
		if (watcher.state.exp * 1000 > this.now()) return false;
		this.drop(socket, EXPIRED.code, EXPIRED.reason);
		return true;
	}

	/** The watcher of a socket, from the cache or its attachment; `null` for a socket not (yet) admitted. */
	private watcher(socket: WatcherSocket): Watcher | null {
		const cached = this.watchers.get(socket.id);
		if (cached) return cached;
		const state = readWatcherState(socket.state);
		if (!state || state.room !== this.room) return null;
		const watcher = watcherOf(state);
		this.watchers.set(socket.id, watcher);
		return watcher;
	}

	private send(socket: WatcherSocket, message: LiveServerMessage): void {
		socket.send(JSON.stringify(message));
	}

}

/**
 * Closes with 4401 every watcher among `sockets` whose token expired by `now` (ms), reading only their
 * attachments: it runs from the room's alarm, where neither the room id nor the log is at hand.
 * Returns the sockets closed and the earliest expiry left (ms), or `null` when no watcher is left.
 */
export function closeExpiredWatchers(sockets: Iterable<WatcherSocket>, now: number): { closed: WatcherSocket[]; next: number | null } {
	const closed: WatcherSocket[] = [];
	let next: number | null = null;
	for (const socket of sockets) {
		const state = readWatcherState(socket.state);
		if (!state) continue;
		const expiresAt = state.exp * 1000;
		if (expiresAt > now) {
			next = next === null ? expiresAt : Math.min(next, expiresAt);
			continue;
		}
		closed.push(socket);
		try {
			socket.close(EXPIRED.code, EXPIRED.reason);
		} catch {
			// already closed
		}
	}
	return { closed, next };
}

function watcherOf(state: WatcherState): Watcher {
	return { state, viewer: { role: state.role, room: state.room, projects: new Set(state.projects) } };
}

/** An attachment read back: anything not of this shape (an older deploy's, a half-admitted socket) is no watcher. */
export function readWatcherState(value: unknown): WatcherState | null {
	const s = value as Partial<WatcherState> | null;
	if (!s || s.v !== 1 || !roleSchema.safeParse(s.role).success || typeof s.room !== 'string' || typeof s.exp !== 'number') return null;
	if (!Array.isArray(s.projects) || !s.projects.every((p) => typeof p === 'number')) return null;
	return { v: 1, role: s.role!, room: s.room, sub: String(s.sub ?? ''), exp: s.exp, partnerId: typeof s.partnerId === 'number' ? s.partnerId : null, projects: s.projects };
}
