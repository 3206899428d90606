import type * as Party from 'partykit/server';
import { CLOSE } from '../shared/closeCodes';
import { REVOCATION_NOTICE_PATH } from '../shared/live/revocationNotice';
import { parseLiveRoomId } from '../shared/roomNames';
import { bridgeSecret } from './live/bridgeSecret';
import { readConnectQuery } from './live/connectQuery';
import { LiveHub } from './live/LiveHub';
import type { WatcherState } from './live/LiveFeed';
import { WatcherExpiry } from './live/WatcherExpiry';
import { RevocationForwarder } from './live/RevocationForwarder';
import { authorizeRoomRequest, authorizeToken, refusal } from './roomAuth';
import { roomTokenSecret } from './roomSecret';

/**
 * A tenant's live room (`/parties/live/<tenant>`, or `fataplus` for staff): dashboards watch an ordered log of
 * changes that bknd's bridge and the project rooms deliver. Thin PartyKit glue around LiveHub (party/live/).
 */
export default class LiveRoom implements Party.Server {
	// No Y.Doc here, so the room can hibernate and hold many idle watchers cheaply (an instance field: partykit
	// 0.0.115 ignores a static `options`). After about 10 s idle the next event, message or alarm re-runs the
	// constructor with the sockets still open: everything a socket needs is in its attachment (WatcherState) and
	// everything else in storage, so nothing is lost; timers would be, hence the alarm for token expiry.
	readonly options: Party.ServerOptions = { hibernate: true };
	private hub: Promise<LiveHub> | null = null;
	/** Closes watchers at their token's expiry, on the room's alarm (which wakes a hibernated room). */
	private readonly expiry: WatcherExpiry;

	constructor(readonly room: Party.Room) {
		this.expiry = new WatcherExpiry(() => room.getConnections<WatcherState>(), room.storage);
	}

	/** Refuses before the upgrade (HTTP status and `{ error }`), so a bad token, `v` or `since` is told at once. */
	static async onBeforeConnect(req: Party.Request, lobby: Party.Lobby) {
		const auth = await authorizeRoomRequest(req.url, 'live', lobby.id, roomTokenSecret(lobby.env));
		if (!auth.ok) return refusal(auth);
		const query = readConnectQuery(req.url);
		return query.ok ? req : Response.json({ error: query.error }, { status: 400, headers: { 'cache-control': 'no-store' } });
	}

	/** Only the two endpoints of a well-formed room reach it, so stray requests create no room. Checked again inside. */
	static async onBeforeRequest(req: Party.Request, lobby: Party.Lobby) {
		const path = new URL(req.url).pathname;
		const base = `/parties/live/${lobby.id}`;
		if (!parseLiveRoomId(lobby.id) || (path !== `${base}/events` && path !== `${base}/seq`)) {
			return Response.json({ error: 'not found' }, { status: 404 });
		}
		return req;
	}

	async onConnect(conn: Party.Connection<WatcherState>, ctx: Party.ConnectionContext) {
		try {
			// Verified again inside the object that holds the data; onBeforeConnect runs in the edge worker.
			const auth = await authorizeRoomRequest(ctx.request.url, 'live', this.room.id, roomTokenSecret(this.room.env));
			if (!auth.ok) return conn.close(auth.status === 403 ? CLOSE.forbidden : CLOSE.unauthorized, auth.error);
			const query = readConnectQuery(ctx.request.url);
			if (!query.ok) return conn.close(CLOSE.badMessage, query.error);
			await (await this.getHub()).connect(conn, auth.claims, query.since);
		} catch (error) {
			console.error(`[live ${this.room.id}] connect failed`, error);
			this.forget(conn);
			conn.close(4500, 'the live room could not load, please retry');
		}
	}

	/** Watchers only listen, and renew their token (`auth`); anything else closes the socket (LiveHub.message). */
	async onMessage(message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection<WatcherState>) {
		try {
			await (await this.getHub()).message(sender, message);
		} catch (error) {
			console.error(`[live ${this.room.id}] message from ${sender.id} failed`, error);
			this.forget(sender);
			sender.close(4500, 'the live room could not load, please retry');
		}
	}

	/** A watcher's token expired (or the alarm rang early for one that left): close the expired ones with 4401. */
	async onAlarm() {
		// No `this.room.id` here: PartyKit throws on it inside onAlarm. A throw makes the runtime ring again.
		for (const conn of await this.expiry.ring()) this.forget(conn);
	}

	// Without an answer a client-initiated close hangs until the client times out (measured with `ws`: 1006 then).
	onClose(conn: Party.Connection) {
		this.forget(conn);
		try {
			conn.close(1000, 'bye');
		} catch {
			// already closed
		}
	}

	onError(conn: Party.Connection, error: Error) {
		console.error(`[live ${this.room.id}] connection ${conn.id}:`, error);
		this.forget(conn);
	}

	async onRequest(req: Party.Request) {
		try {
			return await (await this.getHub()).fetch(req as unknown as Request);
		} catch (error) {
			console.error(`[live ${this.room.id}] request failed`, error);
			return Response.json({ error: 'internal error' }, { status: 500 });
		}
	}

	private getHub(): Promise<LiveHub> {
		this.hub ??= this.openHub();
		// A failed load must not poison the room: the next request or connection tries again.
		this.hub.catch(() => (this.hub = null));
		return this.hub;
	}

	private openHub(): Promise<LiveHub> {
		const secret = bridgeSecret(this.room.env);
		// A share revoked in this tenant: its project room closes the partner's sockets at once (4403). The hub
		// tells only from a tenant room, never from `fataplus`, which holds the same events.
		const forwarder = secret
			? new RevocationForwarder({
					tenant: this.room.id,
					secret,
					post: async (projectRoom, { body, headers }) => {
						const response = await this.room.context.parties.project.get(projectRoom).fetch(`/${REVOCATION_NOTICE_PATH}`, { method: 'POST', body, headers });
						await response.text(); // read the answer so the connection is released
						return { status: response.status };
					}
				})
			: null;
		return LiveHub.open({
			roomId: this.room.id,
			storage: this.room.storage,
			sockets: () => this.room.getConnections<WatcherState>(),
			bridgeSecret: secret,
			authorize: (token) => authorizeToken(token, 'live', this.room.id, roomTokenSecret(this.room.env)),
			expiry: this.expiry,
			onRevoked: forwarder ? (revocations, at) => forwarder.forward(revocations, at) : undefined
		});
	}

	/** Drops a socket from the feed (only if the hub is already loaded: a closing socket is no reason to load it). */
	private forget(conn: Pick<Party.Connection, 'id'>) {
		void this.hub?.then((hub) => hub.leave(conn)).catch(() => {});
	}
}
