import { Server, type Connection, type ConnectionContext, type WSMessage } from 'partyserver';
import { CLOSE, CLOSE_REASON } from '../shared/closeCodes';
import { DELIVERY_HEADERS } from '../shared/live/delivery';
import { REVOCATION_NOTICE_PATH } from '../shared/live/revocationNotice';
import { PROTOCOL_VERSION } from '../shared/protocol';
import { parseProjectRoomId, roomPath } from '../shared/roomNames';
import { STAFF_LIVE_ROOM } from '../shared/tenants';
import { ActivityPublisher } from './live/ActivityPublisher';
import { bridgeSecret } from './live/bridgeSecret';
import type { ReviewActivity } from './live/reviewActivity';
import { reviewApi } from './room/reviewApi';
import { ReviewRoom, type RoomConnection } from './room/ReviewRoom';
import { RevocationInbox } from './room/RevocationInbox';
import { DocStore } from './storage/DocStore';
import { authorizeRoomRequest, authorizeToken, refusal } from './roomAuth';
import type { RoomsEnv } from './roomsEnv';
import { roomTokenSecret } from './roomSecret';

// How often the room looks for sockets whose token expired without renewal.
const EXPIRY_CHECK_MS = 5_000;

/**
 * A project room (`/ws/project/<tenant>.<projectId>`): thin PartyServer glue around ReviewRoom, a Durable Object
 * that does not hibernate (it holds the Y.Docs in memory). It authenticates (before the upgrade and again here),
 * queues frames that arrive while the room loads, and serves the review HTTP API.
 */
export class ProjectRoom extends Server<RoomsEnv> {
	private room: Promise<ReviewRoom> | null = null;
	private readonly connections = new Map<string, RoomConnection>();
	private readonly pending = new Map<string, Array<string | ArrayBuffer>>();
	private expiryTimer: ReturnType<typeof setInterval> | null = null;
	private api: ReturnType<typeof reviewApi> | null = null;
	/** Delivers review activity to the live rooms; `null` when there is no BRIDGE_SECRET to sign with. */
	private activity: ActivityPublisher | null | undefined;

	/** Refuses before the upgrade (in the worker, party/index.ts), so a refused client gets an HTTP status and a JSON reason. */
	static async beforeConnect(req: Request, roomId: string, env: RoomsEnv): Promise<Request | Response> {
		const auth = await authorizeRoomRequest(req.url, 'project', roomId, roomTokenSecret(env));
		return auth.ok ? req : refusal(auth);
	}

	/**
	 * HTTP reaches the room (and wakes its Durable Object, which loads every document) only for a well-formed room id
	 * and a valid Bearer room token, or for a revocation notice that carries its signature header (the notice is
	 * signed with BRIDGE_SECRET, not a room token; RevocationInbox verifies it inside). So stray requests create no
	 * room. Everything is checked again inside (reviewApi.ts).
	 */
	static async beforeRequest(req: Request, roomId: string, env: RoomsEnv): Promise<Request | Response> {
		if (!parseProjectRoomId(roomId)) return Response.json({ error: 'not found' }, { status: 404 });
		const path = new URL(req.url).pathname;
		if (req.method === 'POST' && path === `${roomPath('project', roomId)}/${REVOCATION_NOTICE_PATH}` && req.headers.has(DELIVERY_HEADERS.signature)) return req;
		const header = req.headers.get('authorization') ?? '';
		const auth = await authorizeToken(header.startsWith('Bearer ') ? header.slice(7) : null, 'project', roomId, roomTokenSecret(env));
		return auth.ok ? req : refusal(auth);
	}

	async onConnect(conn: Connection, ctx: ConnectionContext) {
		this.pending.set(conn.id, []);
		try {
			// Verified again inside the object that holds the data; beforeConnect ran in the worker in front of it.
			const auth = await authorizeRoomRequest(ctx.request.url, 'project', this.name, roomTokenSecret(this.env));
			if (!auth.ok) return conn.close(auth.status === 403 ? CLOSE.forbidden : CLOSE.unauthorized, auth.error);
			const version = new URL(ctx.request.url).searchParams.get('v');
			if (version !== String(PROTOCOL_VERSION)) return conn.close(CLOSE.badMessage, `protocol ${PROTOCOL_VERSION} required: reload the page`);
			const room = await this.getRoom();
			// A partner token minted just before its share was revoked is still valid for up to a minute.
			if (room.isRevoked(auth.claims)) return conn.close(CLOSE.forbidden, CLOSE_REASON.accessRevoked);
			const connection = room.connect(conn, auth.claims);
			this.connections.set(conn.id, connection);
			this.startExpiryChecks();
			for (const message of this.pending.get(conn.id) ?? []) await room.message(connection, message);
		} catch (error) {
			console.error(`[project ${this.name}] connect failed`, error);
			conn.close(CLOSE.internalError, CLOSE_REASON.roomUnavailable);
		} finally {
			this.pending.delete(conn.id);
		}
	}

	async onMessage(sender: Connection, message: WSMessage) {
		const data = typeof message === 'string' || message instanceof ArrayBuffer ? message : copy(message);
		const queue = this.pending.get(sender.id);
		if (queue) return void queue.push(data);
		const connection = this.connections.get(sender.id);
		if (connection) await (await this.getRoom()).message(connection, data);
	}

	// Without an answer a client-initiated close hangs until the client times out (measured with `ws`: 1006 then).
	async onClose(conn: Connection) {
		const connection = this.connections.get(conn.id);
		this.connections.delete(conn.id);
		const room = await this.getRoom();
		if (connection) room.disconnect(connection);
		if (this.connections.size === 0) {
			this.stopExpiryChecks();
			room.compact().catch((error) => console.error(`[project ${this.name}] compaction failed`, error));
		}
		try {
			conn.close(1000, 'bye');
		} catch {
			// already closed
		}
	}

	onError(conn: Connection, error: unknown) {
		console.error(`[project ${this.name}] connection ${conn.id}:`, error);
	}

	async onRequest(req: Request) {
		// The inbox takes signed notices from the tenant's live room that a partner's share was revoked (LiveRoom.ts).
		this.api ??= reviewApi(
			() => this.getRoom(),
			(token) => this.authorize(token),
			Date.now,
			new RevocationInbox({ secret: bridgeSecret(this.env), projectId: parseProjectRoomId(this.name)?.projectId ?? 0 })
		);
		return this.api.fetch(req);
	}

	private getRoom(): Promise<ReviewRoom> {
		this.room ??= (async () => {
			// Compaction (a whole-document encode) stalls the room for tens of ms on large documents: it runs when
			// the room empties (onClose), and these thresholds are only a safety net for rooms that never do.
			const store = await DocStore.open(this.ctx.storage, { compactAfterEntries: 20_000, compactAfterBytes: 32 * 1024 * 1024 });
			return ReviewRoom.load({
				roomId: this.name,
				projectId: parseProjectRoomId(this.name)?.projectId ?? 0,
				store,
				commandsPerSecond: commandRate(this.env),
				verifyToken: (token) => this.authorize(token),
				onActivity: (activity) => this.publishActivity(activity)
			});
		})();
		// A failed load must not poison the room forever: the next connection tries again.
		this.room.catch(() => (this.room = null));
		return this.room;
	}

	/** Sends a review action to the tenant's live room and the staff room (`fataplus`), signed, with retries. */
	private publishActivity({ id, at, ...row }: ReviewActivity) {
		const room = parseProjectRoomId(this.name);
		if (!room) return;
		if (this.activity === undefined) {
			const secret = bridgeSecret(this.env);
			if (!secret) console.error(`[project ${this.name}] BRIDGE_SECRET missing: review activity is not published to live rooms`);
			this.activity = secret
				? new ActivityPublisher({
						rooms: [room.tenant, STAFF_LIVE_ROOM],
						secret,
						post: async (live, { body, headers }) => {
							// Straight to the live room's Durable Object (no public hop): it checks the signature itself.
							const response = await this.env.Live.get(this.env.Live.idFromName(live)).fetch(`http://rooms${roomPath('live', live)}/events`, { method: 'POST', body, headers });
							await response.text(); // read the answer so the connection is released
							return { status: response.status };
						}
					})
				: null;
		}
		this.activity?.publish({ id, tenant: room.tenant, entity: 'activity', op: 'insert', row, at });
	}

	private authorize(token: string | null) {
		return authorizeToken(token, 'project', this.name, roomTokenSecret(this.env));
	}

	private startExpiryChecks() {
		this.expiryTimer ??= setInterval(() => void this.getRoom().then((room) => room.expire()), EXPIRY_CHECK_MS);
	}

	private stopExpiryChecks() {
		if (this.expiryTimer) clearInterval(this.expiryTimer);
		this.expiryTimer = null;
	}
}

function copy(view: ArrayBufferView): ArrayBuffer {
	return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
}

/** `ROOM_COMMANDS_PER_SECOND` lifts the per-connection command limit; only `npm run bench` sets it, to measure the room rather than the limit. */
function commandRate(env: RoomsEnv): number | undefined {
	const rate = Number(env.ROOM_COMMANDS_PER_SECOND);
	return Number.isFinite(rate) && rate > 0 ? rate : undefined;
}
