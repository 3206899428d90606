import type * as Party from 'partykit/server';
import { CLOSE } from '../shared/closeCodes';
import { REVOCATION_NOTICE_PATH } from '../shared/live/revocationNotice';
import { parseLiveRoomId } from '../shared/roomNames';
import { bridgeSecret } from './live/bridgeSecret';
import { readConnectQuery } from './live/connectQuery';
import { LiveHub } from './live/LiveHub';
import type { WatcherState } from './live/LiveFeed';
import { RevocationForwarder } from './live/RevocationForwarder';
import { authorizeRoomRequest, authorizeToken, refusal } from './roomAuth';
import { roomTokenSecret } from './roomSecret';

/**
 * A tenant's live room (`/parties/live/<tenant>`, or `fataplus` for staff): dashboards watch an ordered log of
 * changes that bknd's bridge and the project rooms deliver. Thin PartyKit glue around LiveHub (party/live/).
 */
export default class LiveRoom implements Party.Server {
	// No Y.Doc here, so the room can hibernate and hold many idle watchers cheaply (instance field: ../shared/PARTYKIT.md).
	// After about 10 s idle the next event re-runs the constructor with the sockets still open: everything a
	// socket needs is in its attachment (WatcherState) and everything else in storage, so nothing is lost.
	readonly options: Party.ServerOptions = { hibernate: true };
	private hub: Promise<LiveHub> | null = null;

	constructor(readonly room: Party.Room) {}

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

	onMessage(_message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection) {
		// Watchers only listen; anything they send is a protocol error.
		this.forget(sender);
		sender.close(CLOSE.badMessage, 'live rooms accept no messages');
	}

	// Without an answer a client-initiated close hangs until the client times out (../shared/PARTYKIT.md).
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
			onRevoked: forwarder ? (revocations, at) => forwarder.forward(revocations, at) : undefined
		});
	}

	/** Drops a socket from the feed (only if the hub is already loaded: a closing socket is no reason to load it). */
	private forget(conn: Party.Connection) {
		void this.hub?.then((hub) => hub.leave(conn)).catch(() => {});
	}
}
