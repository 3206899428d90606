import type WebSocket from 'ws';
import { command, openRawSocket, type RoomTarget } from './rawClients';
import { percentile } from './stats';

export interface FanoutResult {
	clients: number;
	messages: number;
	p50: number;
	p99: number;
	max: number;
}

/**
 * Fan-out latency: one sender issues a command, `clients` listeners in the same room time the arrival
 * of the broadcast (raw sockets, matched by a marker in the update bytes, so client-side Yjs work is
 * not counted). One message at a time, so this is the latency of an idle-ish room.
 */
export async function measureFanout(target: RoomTarget, clients: number, messages: number): Promise<FanoutResult> {
	const sentAt = new Map<number, number>();
	const samples: number[] = [];
	let remaining = new Set<number>();
	let done: (() => void) | null = null;
	const marker = /#s(\d+)#/;
	const listeners: WebSocket[] = [];
	for (let i = 0; i < clients; i++) {
		listeners.push(
			await openRawSocket(target, String(1000 + i), (data, isBinary) => {
				if (!isBinary) return;
				const match = marker.exec((data as Buffer).toString('latin1'));
				if (!match) return;
				const seq = Number(match[1]);
				const started = sentAt.get(seq);
				if (started === undefined || !remaining.has(i)) return;
				samples.push(performance.now() - started);
				remaining.delete(i);
				if (remaining.size === 0) done?.();
			})
		);
	}
	const sender = await openRawSocket(target, '999');
	// Let every socket receive its initial state before timing anything.
	await new Promise((resolve) => setTimeout(resolve, 300));
	for (let seq = 0; seq < messages; seq++) {
		remaining = new Set(listeners.map((_, i) => i));
		const arrived = new Promise<void>((resolve) => (done = resolve));
		sentAt.set(seq, performance.now());
		command(sender, { type: 'frame.add', commandId: `fan${clients}x${seq}`, name: `bench #s${seq}#`, width: 100, height: 100 });
		await Promise.race([arrived, new Promise((resolve) => setTimeout(resolve, 2_000))]);
	}
	for (const socket of [...listeners, sender]) socket.terminate();
	return { clients, messages, p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples) };
}
