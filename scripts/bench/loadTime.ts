import WebSocket from 'ws';
import { signRoomToken } from '../../shared/roomToken';
import { RoomClient } from '../../web/src/lib/rooms/RoomClient';
import { waitFor } from '../lib/waitFor';
import { BENCH_SECRET, command, openRawSocket, type RoomTarget } from './rawClients';
import { percentile } from './stats';

export interface LoadResult {
	threads: number;
	bytes: number;
	runs: number;
	p50: number;
	min: number;
	max: number;
}

/** Fills a room with `threads` review threads (through commands, as users would), then times new clients until synced. */
export async function measureLoad(target: RoomTarget, threads: number, runs: number): Promise<LoadResult> {
	let frameId = '';
	let acked = 0;
	const writer = await openRawSocket(target, '3000', (data, isBinary) => {
		if (isBinary) return;
		const message = JSON.parse(data.toString()) as { type: string; created?: Array<{ id: string }> };
		if (message.type === 'ack') {
			if (!frameId) frameId = message.created![0]!.id;
			else acked++;
		}
	});
	command(writer, { type: 'frame.add', commandId: 'load-frame', name: 'Écran chargé', width: 1440, height: 900 });
	await waitFor(() => frameId, { timeout: 10_000, message: 'the frame' });
	let sent = 0;
	const window = 100;
	while (acked < threads) {
		while (sent < threads && sent - acked < window) {
			command(writer, {
				type: 'thread.create',
				commandId: `load${sent}`,
				lane: sent % 4 === 0 ? 'internal' : 'client',
				frameId,
				anchor: { kind: 'point', x: (sent % 97) / 97, y: (sent % 89) / 89 },
				body: `Retour n°${sent} : aligner le bouton principal sur la grille de 8 px et vérifier le contraste.`,
				mentions: []
			});
			sent++;
		}
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	writer.terminate();
	const times: number[] = [];
	let bytes = 0;
	for (let run = 0; run < runs; run++) {
		const { token } = await signRoomToken({ sub: '3001', name: 'Lecteur', role: 'designer', tenant: target.tenant, projects: [target.projectId] }, BENCH_SECRET);
		const started = performance.now();
		const client = new RoomClient({
			url: `${target.roomsUrl.replace('http', 'ws')}/ws/project/${target.tenant}.${target.projectId}`,
			WebSocket,
			getToken: async () => ({ ok: true, token, expiresAt: Date.now() + 60_000 })
		});
		await waitFor(() => client.isSynced, { timeout: 30_000, interval: 1, message: 'a synced reader' });
		times.push(performance.now() - started);
		bytes = (await import('yjs')).encodeStateAsUpdate(client.docs.client).byteLength + (await import('yjs')).encodeStateAsUpdate(client.docs.internal).byteLength;
		client.destroy();
	}
	return { threads, bytes, runs, p50: percentile(times, 50), min: Math.min(...times), max: Math.max(...times) };
}
