import WebSocket from 'ws';
import { RoomClient } from '../../web/src/lib/rooms/RoomClient';
import { waitFor } from '../../scripts/lib/waitFor';

/** A real room client over a real socket, as a browser tab would be (the web app's RoomClient with `ws`). */
export async function connectRoomClient(roomsUrl: string, room: string, token: string | (() => Promise<string>)): Promise<RoomClient> {
	const client = new RoomClient({
		url: `${roomsUrl.replace(/^http/, 'ws')}/ws/project/${room}`,
		WebSocket,
		getToken: async () => ({ ok: true, token: typeof token === 'string' ? token : await token(), expiresAt: Date.now() + 60_000 })
	});
	await waitFor(() => client.isSynced, { timeout: 15_000, message: `sync with ${room}` });
	return client;
}
