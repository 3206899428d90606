import type * as Party from 'partykit/server';
import { onConnect as yConnect, type YPartyKitOptions } from 'y-partykit';
import { CLOSE } from '../shared/closeCodes';
import type { RoomTokenClaims } from '../shared/roomToken';
import { binaryOnly, MAX_FRAME_BYTES } from './binaryOnly';
import { authorizeRoomRequest, refusal } from './roomAuth';
import { roomTokenSecret } from './roomSecret';

// `snapshot` keeps the whole history while people are connected and compacts when the last one leaves.
const Y_OPTIONS: YPartyKitOptions = { persist: { mode: 'snapshot' } };

/**
 * A project room (`/parties/project/<tenant>.<projectId>`): one persisted Yjs document with presence.
 * Thin PartyKit glue: it authenticates, then hands binary Yjs frames to y-partykit.
 */
export default class ProjectRoom implements Party.Server {
	constructor(readonly room: Party.Room) {}

	/** Refuses before the upgrade, so a refused client gets an HTTP status and a JSON reason. */
	static async onBeforeConnect(req: Party.Request, lobby: Party.Lobby) {
		const auth = await authorizeRoomRequest(req.url, 'project', lobby.id, roomTokenSecret(lobby.env));
		return auth.ok ? req : refusal(auth);
	}

	/** HTTP on a project room is not served yet; answer clearly instead of an empty 200. */
	static async onBeforeRequest() {
		return Response.json({ error: 'not found' }, { status: 404 });
	}

	async onConnect(conn: Party.Connection<{ claims: RoomTokenClaims }>, ctx: Party.ConnectionContext) {
		// Verified again inside the room: onBeforeConnect runs in the edge worker, this is the object that holds the data.
		const auth = await authorizeRoomRequest(ctx.request.url, 'project', this.room.id, roomTokenSecret(this.room.env));
		if (!auth.ok) {
			conn.close(auth.status === 403 ? CLOSE.forbidden : CLOSE.unauthorized, auth.error);
			return;
		}
		conn.setState({ claims: auth.claims });
		await yConnect(binaryOnly(conn), this.room, Y_OPTIONS);
	}

	onMessage(message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection) {
		const size = typeof message === 'string' ? message.length : message.byteLength;
		if (size > MAX_FRAME_BYTES) sender.close(CLOSE.tooLarge, 'message too large');
	}

	// Without an answer a client-initiated close hangs until the client times out (../shared/PARTYKIT.md).
	onClose(conn: Party.Connection) {
		conn.close(1000, 'bye');
	}

	onError(conn: Party.Connection, error: Error) {
		console.error(`[project ${this.room.id}] connection ${conn.id}:`, error);
	}
}
