import type WebSocket from 'ws';
import { waitFor } from '../lib/waitFor';
import { command, openRawSocket, type RoomTarget } from './rawClients';

export interface ThroughputResult {
	senders: number;
	seconds: number;
	acked: number;
	perSecond: number;
	/** Longest time without any ack while commands were outstanding. */
	maxStallMs: number;
	errors: number;
}

/**
 * Sustained acknowledged commands per second in one room: `senders` sockets each keep `window`
 * commands in flight for `seconds` (after a warm-up), and every ack is timed.
 */
export async function measureThroughput(target: RoomTarget, senders: number, seconds: number, window = 40): Promise<ThroughputResult> {
	let acked = 0;
	let errors = 0;
	let measuring = false;
	let lastAck = 0;
	let maxStall = 0;
	let stop = false;
	const sockets: Array<{ socket: WebSocket; id: number; state: { next: number } }> = [];
	// Threads on one frame: the commonest command, and one whose cost does not grow with the document.
	let frameId = '';
	const setup = await openRawSocket(target, '1999', (data, isBinary) => {
		if (!isBinary && !frameId) frameId = (JSON.parse(data.toString()) as { created?: Array<{ id: string }> }).created?.[0]?.id ?? '';
	});
	command(setup, { type: 'frame.add', commandId: 'throughput-frame', name: 'Débit', width: 1440, height: 900 });
	await waitFor(() => frameId, { message: 'the frame' });
	setup.terminate();
	const pump = (socket: WebSocket, id: number, state: { next: number }) => {
		if (stop) return;
		command(socket, {
			type: 'thread.create',
			commandId: `tp${id}x${state.next++}`,
			lane: 'client',
			frameId,
			anchor: { kind: 'point', x: 0.5, y: 0.5 },
			body: 'Retour de charge',
			mentions: []
		});
	};
	for (let i = 0; i < senders; i++) {
		const state = { next: 0 };
		const socket: WebSocket = await openRawSocket(target, String(2000 + i), (data, isBinary) => {
			if (isBinary) return;
			const text = data.toString();
			if (!text.startsWith('{"type":"ack"') && !text.startsWith('{"type":"error"')) return;
			const now = performance.now();
			if (text.startsWith('{"type":"error"')) errors++;
			if (measuring) {
				acked++;
				maxStall = Math.max(maxStall, now - lastAck);
			}
			lastAck = now;
			pump(socket, i, state);
		});
		sockets.push({ socket, id: i, state });
	}
	// Every socket is open before any starts sending: a saturated room serves new upgrades late.
	for (const { socket, id, state } of sockets) for (let w = 0; w < window; w++) pump(socket, id, state);
	await new Promise((resolve) => setTimeout(resolve, 1_000)); // warm-up
	acked = 0;
	errors = 0;
	lastAck = performance.now();
	measuring = true;
	const started = performance.now();
	await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
	measuring = false;
	const elapsed = (performance.now() - started) / 1_000;
	stop = true;
	for (const { socket } of sockets) socket.terminate();
	return { senders, seconds: elapsed, acked, perSecond: acked / elapsed, maxStallMs: maxStall, errors };
}
