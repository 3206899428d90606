import ReconnectingWebSocket from 'partysocket/ws';
import { CLOSE } from '../../../../shared/closeCodes';
import type { LoggedEvent } from '../../../../shared/live/events';
import type { LiveClientMessage, LIVE_PROTOCOL_VERSION as SHARED_LIVE_PROTOCOL_VERSION } from '../../../../shared/live/wire';
import { ROOM_TOKEN_RENEW_BEFORE_SECONDS } from '../../../../shared/roomTokenTiming';
import type { TokenResult } from '../rooms/RoomClient';
import { parseLiveMessage } from './liveMessage';
import { watchSocket, type Watchdog } from '../sockets/Watchdog';

/**
 * shared/live/wire.ts's `LIVE_PROTOCOL_VERSION`, typed by it so the compiler fails here when it changes.
 * Not imported as a value: wire.ts builds zod schemas, which would add zod to the dashboards' JavaScript.
 */
const LIVE_PROTOCOL_VERSION: typeof SHARED_LIVE_PROTOCOL_VERSION = 1;

/** Why a feed stopped for good: signed out of the app, not (or no longer) allowed, or a broken exchange. */
export type LiveDeniedReason = 'signedOut' | 'forbidden' | 'error';

/**
 * The feed's state, as the page shows it (`live-status`, `data-state`): `connecting` before the first
 * welcome, `live` while events flow, `reconnecting` after a drop (or while the snapshot reloads), `denied`
 * when it stopped and will not retry.
 */
export type LiveStatus =
	| { state: 'connecting' }
	| { state: 'live' }
	| { state: 'reconnecting' }
	| { state: 'denied'; reason: LiveDeniedReason; message: string };

export interface LiveFeedOptions {
	/** `ws(s)://<rooms host>/ws/live/<room>`. */
	url: string;
	/** A fresh room token for the live room; called before every (re)connect. */
	getToken: () => Promise<TokenResult>;
	/**
	 * The sequence number the page's snapshot is joined at: read from the room BEFORE the snapshot was read,
	 * so every event after it is either already in the snapshot (and applying it again changes nothing) or not.
	 * `null` when the page could not read it: the feed then reloads the snapshot once it knows the room's number.
	 */
	since: number | null;
	/** One event after the last applied one, in order; never the same `seq` twice. */
	onEvent: (event: LoggedEvent) => void;
	/**
	 * The snapshot is out of step with the room (the room's log no longer reaches `since`, or the room is behind
	 * it, or `since` was unknown): reload it, then resolve with the room's number read before that reload
	 * (`null` to continue from `roomSeq`, read before the reload too). Rejecting retries later.
	 */
	onReset: (roomSeq: number) => Promise<number | null | void>;
	/** A partner lost project `projectId`: drop what the page shows of it. */
	onRevoked?: (projectId: number) => void;
	onStatus?: (status: LiveStatus) => void;
	/** A WebSocket implementation for Node or tests; browsers use their own. */
	WebSocket?: unknown;
	/** Backoff between attempts, growing ×1.3 from `minReconnectionDelay` up to `maxReconnectionDelay` (ms). */
	minReconnectionDelay?: number;
	maxReconnectionDelay?: number;
	/** After a failed snapshot reload, try again this soon (ms). */
	resetRetryMs?: number;
	/** After a renewal that could not reach the web app, try again this soon (ms). */
	renewRetryMs?: number;
	/** The heartbeat's timing (shared/heartbeat.ts by default); tests shorten it. */
	heartbeat?: { quietMs: number; answerMs: number };
}

/**
 * The browser's end of a live room (`/ws/live/<room>`): one partysocket connection that resumes where it
 * stopped. Each (re)connect asks for a fresh room token and sends `since` = the last sequence number applied,
 * so a drop loses nothing; an event at or below that number is dropped, so nothing counts twice. A `reset`
 * reloads the snapshot through `onReset` and continues from its number. The room token is renewed on the open
 * socket 30 s before it expires (an `auth` message), so a dashboard does not drop every minute. 4401 (token
 * expired or renewal refused) reconnects with a new token; 4403, 4400 or a token the web app refuses (at connect
 * or at renewal) stop the feed with a reason.
 */
export class LiveFeedClient {
	status: LiveStatus = { state: 'connecting' };
	private lastSeq: number;
	private joined: boolean;
	private resyncing = false;
	private destroyed = false;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private renewTimer: ReturnType<typeof setTimeout> | null = null;
	private readonly socket: ReconnectingWebSocket;
	private readonly watchdog: Watchdog;

	constructor(private readonly options: LiveFeedOptions) {
		this.lastSeq = options.since ?? 0;
		this.joined = options.since !== null;
		this.socket = new ReconnectingWebSocket(() => this.connectUrl(), undefined, {
			WebSocket: options.WebSocket,
			maxEnqueuedMessages: 0,
			minReconnectionDelay: options.minReconnectionDelay ?? 1_000,
			maxReconnectionDelay: options.maxReconnectionDelay ?? 15_000,
			shouldReconnectOnClose: (event) => !this.isFinal(event.code)
		});
		// A live room can stay quiet for hours: the heartbeat tells a quiet room from a vanished one (the room's
		// runtime answers it without waking the object).
		this.watchdog = watchSocket(
			this.socket,
			{ message: (data) => typeof data === 'string' && this.onText(data), close: (code, reason) => this.onClose(code, reason) },
			options.heartbeat
		);
	}

	/** The last sequence number applied (what the next connection sends as `since`). */
	get seq(): number {
		return this.lastSeq;
	}

	destroy(): void {
		this.destroyed = true;
		this.watchdog.stop();
		this.clearTimers();
		this.socket.close(1000, 'bye');
	}

	// ---- connection ----

	private async connectUrl(): Promise<string> {
		if (this.status.state === 'live') this.setStatus({ state: 'reconnecting' });
		const token = await this.options.getToken();
		if (!token.ok) {
			if (token.status === 401 || token.status === 403) this.deny(token.status === 401 ? 'signedOut' : 'forbidden', token.error);
			// Otherwise the web app could not be reached: partysocket tries again with backoff.
			else this.setStatus({ state: 'reconnecting' });
			throw new Error(token.error);
		}
		this.renewIn(untilRenewal(token.expiresAt));
		const url = new URL(this.options.url);
		url.searchParams.set('v', String(LIVE_PROTOCOL_VERSION));
		url.searchParams.set('token', token.token);
		// Without a join point, ask only for what comes after `hello` (whose seq then starts a resync).
		if (this.joined) url.searchParams.set('since', String(this.lastSeq));
		return url.toString();
	}

	private isFinal(code: number): boolean {
		// 4401 is not final: the next attempt fetches a new token, and a refusal of that ends it in deny().
		return this.destroyed || this.status.state === 'denied' || code === CLOSE.forbidden || code === CLOSE.badMessage || code === CLOSE.tooLarge;
	}

	private onClose(code: number, reason: string) {
		if (this.destroyed || this.resyncing || this.status.state === 'denied') return;
		if (code === CLOSE.forbidden) this.deny('forbidden', reason);
		else if (code === CLOSE.badMessage || code === CLOSE.tooLarge) this.deny('error', reason);
		else this.setStatus({ state: 'reconnecting' });
	}

	private deny(reason: LiveDeniedReason, message: string) {
		this.socket.close(1000, message.slice(0, 100));
		this.clearTimers();
		this.setStatus({ state: 'denied', reason, message });
	}

	private clearTimers() {
		if (this.retryTimer) clearTimeout(this.retryTimer);
		if (this.renewTimer) clearTimeout(this.renewTimer);
	}

	// ---- token renewal ----

	private renewIn(delay: number) {
		if (this.renewTimer) clearTimeout(this.renewTimer);
		this.renewTimer = setTimeout(() => void this.renew(), delay);
	}

	/** Sends the open socket a fresh token. Not live (dropped, resyncing, stopped): the next connection fetches its own. */
	private async renew() {
		this.renewTimer = null;
		if (!this.isLive()) return;
		const token = await this.options.getToken();
		if (!this.isLive()) return;
		if (!token.ok) {
			// Signed out, or no longer allowed: stop now rather than at the room's 4401 when the old token expires.
			if (token.status === 401 || token.status === 403) this.deny(token.status === 401 ? 'signedOut' : 'forbidden', token.error);
			else this.renewIn(this.options.renewRetryMs ?? 5_000);
			return;
		}
		this.socket.send(JSON.stringify({ type: 'auth', token: token.token } satisfies LiveClientMessage));
		this.renewIn(untilRenewal(token.expiresAt));
	}

	private isLive(): boolean {
		return !this.destroyed && this.status.state === 'live';
	}

	// ---- incoming ----

	private onText(text: string) {
		if (this.resyncing || this.destroyed || this.status.state === 'denied') return;
		const message = parseLiveMessage(text);
		if (!message) return;
		switch (message.type) {
			case 'hello':
				// Joined without a known number, or the room is behind what we applied (it lost its log): resync.
				if (!this.joined || message.seq < this.lastSeq) void this.resync(message.seq);
				else this.setStatus({ state: 'live' });
				break;
			case 'event':
				if (message.seq <= this.lastSeq) return;
				this.lastSeq = message.seq;
				this.options.onEvent(message.event);
				break;
			case 'reset':
				void this.resync(message.seq);
				break;
			case 'revoked':
				this.options.onRevoked?.(message.projectId);
				break;
			case 'auth-ok':
				// The renewal was accepted; the next one is already timed from the token's own expiry.
				break;
			default: {
				const never: never = message;
				return never;
			}
		}
	}

	/** Stops listening, has the page reload its snapshot, then reconnects from the snapshot's number. */
	private async resync(roomSeq: number): Promise<void> {
		if (this.resyncing || this.destroyed) return;
		this.resyncing = true;
		this.socket.close(1000, 'resync');
		this.setStatus({ state: 'reconnecting' });
		let next: number | null | void;
		try {
			next = await this.options.onReset(roomSeq);
		} catch {
			this.resyncing = false;
			if (!this.destroyed) this.retryTimer = setTimeout(() => void this.resync(roomSeq), this.options.resetRetryMs ?? 5_000);
			return;
		}
		if (this.destroyed || this.status.state === 'denied') return;
		this.lastSeq = typeof next === 'number' ? next : roomSeq;
		this.joined = true;
		this.resyncing = false;
		this.socket.reconnect();
	}

	private setStatus(status: LiveStatus) {
		const same = status.state === this.status.state && status.state !== 'denied';
		this.status = status;
		if (!same) this.options.onStatus?.(status);
	}
}

/** How long until a token expiring at `expiresAt` (ms) should be renewed: 30 s before, at least 1 s from now. */
function untilRenewal(expiresAt: number): number {
	return Math.max(1_000, expiresAt - Date.now() - ROOM_TOKEN_RENEW_BEFORE_SECONDS * 1_000);
}
