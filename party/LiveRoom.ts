import type * as Party from 'partykit/server';
import { CLOSE } from '../shared/closeCodes';
import { authorizeRoomRequest, refusal } from './roomAuth';
import { roomTokenSecret } from './roomSecret';

/**
 * A tenant's live room (`/parties/live/<tenant>`, or `fataplus` for staff): where dashboards
 * will receive bknd's changes. This first version only admits authenticated watchers; the
 * event log and the bridge arrive with the live-dashboards issue.
 */
export default class LiveRoom implements Party.Server {
	// No Y.Doc here, so the room can hibernate and hold many idle watchers cheaply (instance field: ../shared/PARTYKIT.md).
	readonly options: Party.ServerOptions = { hibernate: true };

	constructor(readonly room: Party.Room) {}

	static async onBeforeConnect(req: Party.Request, lobby: Party.Lobby) {
		const auth = await authorizeRoomRequest(req.url, 'live', lobby.id, roomTokenSecret(lobby.env));
		return auth.ok ? req : refusal(auth);
	}

	static async onBeforeRequest() {
		return Response.json({ error: 'not found' }, { status: 404 });
	}

	async onConnect(conn: Party.Connection) {
		const auth = await authorizeRoomRequest(conn.uri, 'live', this.room.id, roomTokenSecret(this.room.env));
		if (!auth.ok) {
			conn.close(auth.status === 403 ? CLOSE.forbidden : CLOSE.unauthorized, auth.error);
			return;
		}
		conn.send(JSON.stringify({ type: 'hello', room: this.room.id, seq: 0 }));
	}

	onMessage(_message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection) {
		// Watchers only listen; anything they send is a protocol error.
		sender.close(CLOSE.badMessage, 'live rooms accept no messages');
	}

	onClose(conn: Party.Connection) {
		conn.close(1000, 'bye');
	}
}
