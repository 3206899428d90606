import { readFileSync } from 'node:fs';
import type WebSocket from 'ws';
import { childrenOf } from '../lib/processTree';
import { waitFor } from '../lib/waitFor';
import { command, openRawSocket } from './rawClients';

export interface MemoryResult {
	rooms: number;
	beforeMb: number;
	afterMb: number;
	perRoomKb: number;
}

/** Resident memory of a process and all its descendants (wrangler dev's workerd does the work). */
export function treeRssKb(pid: number): number {
	let total = 0;
	const visit = (p: number) => {
		try {
			const status = readFileSync(`/proc/${p}/status`, 'utf8');
			total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
		} catch {
			return;
		}
		for (const child of childrenOf(p)) visit(child);
	};
	visit(pid);
	return total;
}

/** Memory per idle room: opens `rooms` rooms, each with one frame and one idle connection, and divides the growth. */
export async function measureRoomMemory(roomsUrl: string, serverPid: number, rooms: number): Promise<MemoryResult> {
	// Warm-up rooms first: the first rooms of a server also pay for workerd compiling and caching the rooms' code,
	// which is not a per-room cost (measured cold, the same 100 rooms read ~500 kB each).
	const warm = await openIdleRooms(roomsUrl, 'bench-memoire-chauffe', Math.ceil(rooms / 5));
	const before = treeRssKb(serverPid);
	const sockets = await openIdleRooms(roomsUrl, 'bench-memoire', rooms);
	const after = treeRssKb(serverPid);
	for (const socket of [...warm, ...sockets]) socket.terminate();
	return { rooms, beforeMb: before / 1024, afterMb: after / 1024, perRoomKb: (after - before) / rooms };
}

/** Opens `rooms` rooms of `tenant`, each with one frame and one idle connection, once every room answered. */
async function openIdleRooms(roomsUrl: string, tenant: string, rooms: number): Promise<WebSocket[]> {
	const sockets: WebSocket[] = [];
	let acked = 0;
	for (let i = 0; i < rooms; i++) {
		const socket = await openRawSocket({ roomsUrl, tenant, projectId: i + 1 }, '4000', (data, isBinary) => {
			if (!isBinary && data.toString().startsWith('{"type":"ack"')) acked++;
		});
		command(socket, { type: 'frame.add', commandId: `mem${i}`, name: 'Idle', width: 10, height: 10 });
		sockets.push(socket);
	}
	await waitFor(() => acked >= rooms, { timeout: 60_000, message: 'every room to answer' });
	return sockets;
}
