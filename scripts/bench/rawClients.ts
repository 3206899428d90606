import WebSocket from 'ws';
import { signRoomToken } from '../../shared/roomToken';

export const BENCH_SECRET = 'bench-room-token-secret-0123456789abcdef';

export interface RoomTarget {
	roomsUrl: string;
	tenant: string;
	projectId: number;
}

/** A raw socket into a project room with a staff token: cheap enough to open hundreds from one process. */
export async function openRawSocket(target: RoomTarget, sub: string, onMessage?: (data: WebSocket.RawData, isBinary: boolean) => void): Promise<WebSocket> {
	const { token } = await signRoomToken(
		{ sub, name: `Bench ${sub}`, role: 'designer', tenant: target.tenant, projects: [target.projectId] },
		BENCH_SECRET,
		{ ttlSeconds: 3600 }
	);
	const url = `${target.roomsUrl.replace('http', 'ws')}/ws/project/${target.tenant}.${target.projectId}?v=1&token=${token}`;
	const socket = new WebSocket(url);
	if (onMessage) socket.on('message', onMessage);
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('error', reject);
	});
	return socket;
}

/** Resolves when the room's welcome arrived and every channel state was sent (the first few frames). */
export function command(socket: WebSocket, command: Record<string, unknown>): void {
	socket.send(JSON.stringify({ type: 'command', command }));
}
