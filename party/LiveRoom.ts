import { Server, type Connection, type ConnectionContext, type WSMessage } from 'partyserver';
import { CLOSE, CLOSE_REASON } from '../shared/closeCodes';
import { HEARTBEAT } from '../shared/heartbeat';
import { REVOCATION_NOTICE_PATH } from '../shared/live/revocationNotice';
import { parseLiveRoomId, roomPath } from '../shared/roomNames';
import { bridgeSecret } from './live/bridgeSecret';
import { readConnectQuery } from './live/connectQuery';
import { LiveHub } from './live/LiveHub';
import type { WatcherState } from './live/LiveFeed';
import { WatcherExpiry } from './live/WatcherExpiry';
import { RevocationForwarder } from './live/RevocationForwarder';
import { authorizeRoomRequest, authorizeToken, refusal } from './roomAuth';
import type { RoomsEnv } from './roomsEnv';
import { roomTokenSecret } from './roomSecret';

/**
 * A tenant's live room (`/ws/live/<tenant>`, or `fataplus` for staff): dashboards watch an ordered log of
 * changes that bknd's bridge and the project rooms deliver. Thin PartyServer glue around LiveHub (party/live/).
 */
export class LiveRoom extends Server<RoomsEnv> {
	// No Y.Doc here, so the room can hibernate and hold many idle watchers cheaply. After about 10 s idle the
	// runtime may evict the object; the next event, message or alarm re-runs the constructor with the sockets still
	// open: everything a socket needs is in its attachment (WatcherState) and everything else in storage, so nothing
	// is lost; timers would be, hence the alarm for token expiry.
	static override options = { hibernate: true };
	private hub: Promise<LiveHub> | null = null;
	/** Closes watchers at their token's expiry, on the room's alarm (which wakes a hibernated room). */
	private readonly expiry: WatcherExpiry;

	constructor(ctx: DurableObjectState, env: RoomsEnv) {
		super(ctx, env);
		this.expiry = new WatcherExpiry(() => this.getConnections<WatcherState>(), ctx.storage);
		// Watchers' heartbeats are answered by the runtime without waking the object (hibernation stays cheap).
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT.ping, HEARTBEAT.pong));
		// A new object with sockets already open means the runtime evicted the previous one (hibernation): one line
		// per wake, so an operator (and the HIBERNATE tests) can see the room carried on from attachments and storage.
		const open = ctx.getWebSockets().length;
		if (open > 0) console.log(`[live ${ctx.id.name}] woke from hibernation with ${open} open socket(s)`);
	}

	/** Refuses before the upgrade (in the worker, party/index.ts: HTTP status and `{ error }`), so a bad token, `v` or `since` is told at once. */
	static async beforeConnect(req: Request, roomId: string, env: RoomsEnv): Promise<Request | Response> {
		const auth = await authorizeRoomRequest(req.url, 'live', roomId, roomTokenSecret(env));
		if (!auth.ok) return refusal(auth);
		const query = readConnectQuery(req.url);
		return query.ok ? req : Response.json({ error: query.error }, { status: 400, headers: { 'cache-control': 'no-store' } });
	}

	/** Only the two endpoints of a well-formed room reach it, so stray requests create no room. Checked again inside. */
	static async beforeRequest(req: Request, roomId: string): Promise<Request | Response> {
		const path = new URL(req.url).pathname;
		const base = roomPath('live', roomId);
		if (!parseLiveRoomId(roomId) || (path !== `${base}/events` && path !== `${base}/seq`)) {
			return Response.json({ error: 'not found' }, { status: 404 });
		}
		return req;
	}

	async onConnect(conn: Connection<WatcherState>, ctx: ConnectionContext) {
		try {
			// Verified again inside the object that holds the data; beforeConnect ran in the worker in front of it.
			const auth = await authorizeRoomRequest(ctx.request.url, 'live', this.name, roomTokenSecret(this.env));
			if (!auth.ok) return conn.close(auth.status === 403 ? CLOSE.forbidden : CLOSE.unauthorized, auth.error);
			const query = readConnectQuery(ctx.request.url);
			if (!query.ok) return conn.close(CLOSE.badMessage, query.error);
			await (await this.getHub()).connect(conn, auth.claims, query.since);
		} catch (error) {
			console.error(`[live ${this.name}] connect failed`, error);
			this.forget(conn);
			conn.close(CLOSE.internalError, CLOSE_REASON.roomUnavailable);
		}
	}

	/** Watchers only listen, and renew their token (`auth`); anything else closes the socket (LiveHub.message). */
	async onMessage(sender: Connection<WatcherState>, message: WSMessage) {
		try {
			await (await this.getHub()).message(sender, message);
		} catch (error) {
			console.error(`[live ${this.name}] message from ${sender.id} failed`, error);
			this.forget(sender);
			sender.close(CLOSE.internalError, CLOSE_REASON.roomUnavailable);
		}
	}

	/** A watcher's token expired (or the alarm rang early for one that left): close the expired ones with 4401. */
	async onAlarm() {
		// Reads only the attachments (no hub, no log): closing sockets is no reason to load the log. A throw makes the runtime ring again.
		for (const conn of await this.expiry.ring()) this.forget(conn);
	}

	// Without an answer a client-initiated close hangs until the client times out (measured with `ws`: 1006 then).
	onClose(conn: Connection) {
		this.forget(conn);
		try {
			conn.close(1000, 'bye');
		} catch {
			// already closed
		}
	}

	onError(conn: Connection, error: unknown) {
		console.error(`[live ${this.name}] connection ${conn.id}:`, error);
		this.forget(conn);
	}

	async onRequest(req: Request) {
		try {
			return await (await this.getHub()).fetch(req);
		} catch (error) {
			console.error(`[live ${this.name}] request failed`, error);
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
		const secret = bridgeSecret(this.env);
		// A share revoked in this tenant: its project room closes the partner's sockets at once (4403). The hub
		// tells only from a tenant room, never from `fataplus`, which holds the same events.
		const forwarder = secret
			? new RevocationForwarder({
					tenant: this.name,
					secret,
					post: async (projectRoom, { body, headers }) => {
						// Straight to the project room's Durable Object (no public hop): its inbox checks the signature.
						const url = `http://rooms${roomPath('project', projectRoom)}/${REVOCATION_NOTICE_PATH}`;
						const response = await this.env.Project.get(this.env.Project.idFromName(projectRoom)).fetch(url, { method: 'POST', body, headers });
						await response.text(); // read the answer so the connection is released
						return { status: response.status };
					}
				})
			: null;
		return LiveHub.open({
			roomId: this.name,
			storage: this.ctx.storage,
			sockets: () => this.getConnections<WatcherState>(),
			bridgeSecret: secret,
			authorize: (token) => authorizeToken(token, 'live', this.name, roomTokenSecret(this.env)),
			expiry: this.expiry,
			onRevoked: forwarder ? (revocations, at) => forwarder.forward(revocations, at) : undefined
		});
	}

	/** Drops a socket from the feed (only if the hub is already loaded: a closing socket is no reason to load it). */
	private forget(conn: Pick<Connection, 'id'>) {
		void this.hub?.then((hub) => hub.leave(conn)).catch(() => {});
	}
}
