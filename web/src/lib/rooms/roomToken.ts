import { ROOMS_PATH_PREFIX } from '../../../../shared/roomNames';
import { ROOM_TOKEN_RENEW_BEFORE_SECONDS } from '../../../../shared/roomTokenTiming';
import type { TokenResult } from './RoomClient';

/** What `GET /api/rooms/token` answers. */
export interface RoomTicket {
	token: string;
	/** Epoch milliseconds. */
	expiresAt: number;
	/** `ws(s)://<rooms host>/ws/<party>/<room>` */
	url: string;
}

/** `status` 0 means the request itself failed (offline, server down). */
export type TicketResult = { ok: true; ticket: RoomTicket } | { ok: false; status: number; error: string };

const RENEW_BEFORE_MS = ROOM_TOKEN_RENEW_BEFORE_SECONDS * 1000;
/** Never hammer the endpoint, even with a token that is already (nearly) expired. */
const MIN_RENEW_DELAY_MS = 5_000;
/** After a failed renewal (network), try again this soon; the current token usually has time left. */
const RETRY_DELAY_MS = 10_000;

/** Asks the web app for a token to `room` (the session cookie authenticates). Never throws. */
export async function requestRoomTicket(room: string, fetchFn: typeof fetch = fetch): Promise<TicketResult> {
	try {
		const res = await fetchFn(`/api/rooms/token?room=${encodeURIComponent(room)}`, {
			headers: { accept: 'application/json' },
			cache: 'no-store',
			credentials: 'same-origin'
		});
		const body = (await res.json().catch(() => null)) as Partial<RoomTicket & { error: string }> | null;
		if (res.ok && typeof body?.token === 'string' && typeof body.expiresAt === 'number' && typeof body.url === 'string') {
			return { ok: true, ticket: { token: body.token, expiresAt: body.expiresAt, url: body.url } };
		}
		return { ok: false, status: res.status, error: body?.error ?? `HTTP ${res.status}` };
	} catch (error) {
		return { ok: false, status: 0, error: error instanceof Error ? error.message : String(error) };
	}
}

/** A refusal the user cannot fix by waiting: signed out (401) or not allowed (403). */
export function isDenial(result: TicketResult): result is { ok: false; status: 401 | 403; error: string } {
	return !result.ok && (result.status === 401 || result.status === 403);
}

/** Milliseconds until a token expiring at `expiresAt` should be renewed: `ROOM_TOKEN_RENEW_BEFORE_SECONDS` before it expires. */
export function renewDelay(expiresAt: number, now: number): number {
	return Math.max(MIN_RENEW_DELAY_MS, expiresAt - RENEW_BEFORE_MS - now);
}

/** The parts of a room URL, checked before a socket is opened to it. */
export interface RoomEndpoint {
	host: string;
	protocol: 'ws' | 'wss';
	party: string;
	room: string;
}

/**
 * Splits `ws://localhost:1999/ws/project/ferme-verte.12` into host, protocol, party and room.
 * `null` for anything else, so a bad answer never opens a socket to an unexpected place.
 */
export function parseRoomUrl(url: string): RoomEndpoint | null {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return null;
	}
	if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') return null;
	const [prefix, party, room, ...rest] = parsed.pathname.split('/').slice(1);
	if (prefix !== ROOMS_PATH_PREFIX || !party || !/^[a-z0-9-]+$/.test(party) || !room || rest.length > 0) return null;
	return { host: parsed.host, protocol: parsed.protocol === 'wss:' ? 'wss' : 'ws', party, room: decodeURIComponent(room) };
}

export interface TicketKeeperOptions {
	/** Called once when the endpoint refuses (401 signed out, 403 not allowed); the keeper then stops. */
	onDenied: (result: { status: 401 | 403; error: string }) => void;
	/** Renew on a timer before expiry (default). Off when the caller renews itself, as `RoomClient` does. */
	autoRenew?: boolean;
	fetch?: typeof fetch;
	now?: () => number;
	setTimer?: (run: () => void, ms: number) => unknown;
	clearTimer?: (timer: unknown) => void;
}

export interface TicketKeeper {
	/** Fetches a new ticket now (concurrent calls share one request). */
	refresh(): Promise<TicketResult>;
	/** The current ticket if it still has more than the renewal margin to live, else a new one. */
	fresh(): Promise<TicketResult>;
	/** The last ticket obtained, possibly stale; `null` before the first one. */
	current(): RoomTicket | null;
	stop(): void;
}

/**
 * Keeps a room ticket fresh for as long as the page is open: renews it before it expires,
 * so a reconnect always has a valid token and the open connection is never dropped for renewal.
 */
export function createTicketKeeper(room: string, options: TicketKeeperOptions): TicketKeeper {
	const now = options.now ?? Date.now;
	const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
	const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
	let ticket: RoomTicket | null = null;
	let timer: unknown = null;
	let inflight: Promise<TicketResult> | null = null;
	let stopped = false;

	const schedule = (ms: number) => {
		if (timer !== null) clearTimer(timer);
		timer = stopped || options.autoRenew === false ? null : setTimer(() => void refresh(), ms);
	};

	function refresh(): Promise<TicketResult> {
		if (stopped) return Promise.resolve({ ok: false, status: 0, error: 'stopped' });
		inflight ??= requestRoomTicket(room, options.fetch).then((result) => {
			inflight = null;
			if (stopped) return result;
			if (result.ok) {
				ticket = result.ticket;
				schedule(renewDelay(ticket.expiresAt, now()));
			} else if (isDenial(result)) {
				stop();
				options.onDenied({ status: result.status, error: result.error });
			} else {
				schedule(RETRY_DELAY_MS);
			}
			return result;
		});
		return inflight;
	}

	function stop() {
		stopped = true;
		if (timer !== null) clearTimer(timer);
		timer = null;
	}

	return {
		refresh,
		fresh: () => (ticket && ticket.expiresAt - now() > RENEW_BEFORE_MS ? Promise.resolve({ ok: true, ticket }) : refresh()),
		current: () => ticket,
		stop
	};
}

/** Tickets for one `RoomClient`: the first tells where the room is, each later call fetches a fresh token. */
export interface RoomTokenSource {
	/** Fetches the first ticket (its `url` is the room's socket address). */
	start(): Promise<TicketResult>;
	/** `RoomClient`'s `getToken`: the first ticket once while it is fresh, then a new one per call. */
	getToken(): Promise<TokenResult>;
	/** The endpoint's refusal, once it refused: 401 signed out, 403 not (or no longer) allowed. */
	denial(): { status: 401 | 403; error: string } | null;
	stop(): void;
}

/** A first ticket is reused for the first connection only if it has at least this long to live. */
const REUSE_MIN_MS = 40_000;

/**
 * Adapts a ticket keeper to `RoomClient`: the room client renews the token itself (on the open socket,
 * before expiry) and on every reconnect, so the keeper only fetches, shares concurrent requests and
 * remembers a refusal.
 */
export function createRoomTokenSource(room: string, options: Pick<TicketKeeperOptions, 'fetch' | 'now'> = {}): RoomTokenSource {
	const now = options.now ?? Date.now;
	let denial: { status: 401 | 403; error: string } | null = null;
	let first: RoomTicket | null = null;
	const keeper = createTicketKeeper(room, { ...options, autoRenew: false, onDenied: (result) => (denial = result) });
	return {
		async start() {
			const result = await keeper.refresh();
			if (result.ok) first = result.ticket;
			return result;
		},
		async getToken() {
			const reuse = first && first.expiresAt - now() >= REUSE_MIN_MS ? first : null;
			first = null;
			const result: TicketResult = reuse ? { ok: true, ticket: reuse } : await keeper.refresh();
			if (result.ok) return { ok: true, token: result.ticket.token, expiresAt: result.ticket.expiresAt };
			// After a refusal the keeper has stopped; keep answering with that refusal.
			if (denial) return { ok: false, ...denial };
			return { ok: false, status: result.status, error: result.error };
		},
		denial: () => denial,
		stop: () => keeper.stop()
	};
}
