import WebSocket from 'ws';
import type { LiveEvent } from '../../shared/live/events';
import { signedHeaders } from '../../shared/live/signedMessage';
import { LIVE_PROTOCOL_VERSION } from '../../shared/live/wire';
import { signRoomToken } from '../../shared/roomToken';
import { waitFor } from '../lib/waitFor';
import { treeRssKb } from './memory';
import { BENCH_SECRET } from './rawClients';
import { percentile } from './stats';

export interface LiveFanoutResult {
	watchers: number;
	events: number;
	/** Rooms server (wrangler dev + workerd) resident memory before the watchers connected and once they all had `hello`. */
	beforeMb: number;
	afterMb: number;
	perWatcherKb: number;
	/** Time to open every socket and receive every `hello`. */
	connectMs: number;
	/** Per event: from just before the delivery POST to the moment the last watcher received it. */
	p50: number;
	p99: number;
	max: number;
	/** Per socket and event: the same, to each watcher (the spread within one fan-out). */
	socketP50: number;
	socketP99: number;
}

// Sockets opened at once while connecting, so the handshakes do not all land in one burst.
const OPEN_CONCURRENCY = 50;
const EVENT_FRAME = /^\{"type":"event","seq":(\d+)/;

/**
 * Fan-out of one tenant live room: `watchers` client sockets on one room (a hibernating party), then `events`
 * signed deliveries of one event each, one at a time, timing until every socket has it. Client-side frame
 * handling in this one Node process is part of the figure (2,000 sockets' frames are parsed here, not in browsers).
 */
export async function measureLiveFanout(
	{ roomsUrl, serverPid, bridgeSecret, tenant = 'bench-live' }: { roomsUrl: string; serverPid: number; bridgeSecret: string; tenant?: string },
	watchers: number,
	events: number
): Promise<LiveFanoutResult> {
	const { token } = await signRoomToken({ sub: '42', name: 'Bench watcher', role: 'client', tenant, projects: [] }, BENCH_SECRET, { ttlSeconds: 3600 });
	const url = `${roomsUrl.replace('http', 'ws')}/ws/live/${tenant}?v=${LIVE_PROTOCOL_VERSION}&token=${token}`;
	const arrivals = new Map<number, { count: number; times: number[] }>();
	let hellos = 0;
	let baseSeq = -1;
	const sockets: WebSocket[] = [];
	const before = treeRssKb(serverPid);
	const started = performance.now();
	try {
		for (let i = 0; i < watchers; i += OPEN_CONCURRENCY) {
			await Promise.all(
				Array.from({ length: Math.min(OPEN_CONCURRENCY, watchers - i) }, async () => {
					const socket = new WebSocket(url);
					sockets.push(socket);
					socket.on('message', (data) => {
						const text = data.toString();
						const match = EVENT_FRAME.exec(text);
						if (!match) {
							if (text.startsWith('{"type":"hello"')) hellos++, (baseSeq = (JSON.parse(text) as { seq: number }).seq);
							return;
						}
						const seq = Number(match[1]);
						const arrival = arrivals.get(seq) ?? { count: 0, times: [] };
						arrivals.set(seq, arrival);
						arrival.count++;
						arrival.times.push(performance.now());
					});
					await new Promise<void>((resolve, reject) => {
						socket.once('open', () => resolve());
						socket.once('error', reject);
					});
				})
			);
		}
		await waitFor(() => hellos === watchers, { timeout: 120_000, message: 'every watcher’s hello' });
		const connectMs = performance.now() - started;
		const after = treeRssKb(serverPid);

		const allDelivered: number[] = [];
		const perSocket: number[] = [];
		for (let n = 1; n <= events; n++) {
			const seq = baseSeq + n;
			const event: LiveEvent = {
				id: `projects:1:update:bench-${Date.now()}-${n}`,
				tenant,
				entity: 'projects',
				op: 'update',
				at: new Date().toISOString(),
				row: { id: 1, clients_id: 1, title: `Bench ${n}`, progress: n, internal_notes: 'staff only' }
			};
			const body = JSON.stringify({ events: [event] });
			const timestamp = Date.now();
			const deliveryId = `bench-live-${timestamp}-${n}`;
			const sentAt = performance.now();
			const response = await fetch(`${roomsUrl}/ws/live/${tenant}/events`, {
				method: 'POST',
				body,
				headers: await signedHeaders(bridgeSecret, body, { now: timestamp, id: deliveryId })
			});
			if (response.status !== 200) throw new Error(`delivery ${n}: ${response.status} ${await response.text()}`);
			await response.body?.cancel();
			await waitFor(() => (arrivals.get(seq)?.count ?? 0) === watchers, { timeout: 30_000, interval: 1, message: `event ${seq} at every watcher` });
			const times = arrivals.get(seq)!.times;
			allDelivered.push(Math.max(...times) - sentAt);
			for (const t of times) perSocket.push(t - sentAt);
		}
		return {
			watchers,
			events,
			beforeMb: before / 1024,
			afterMb: after / 1024,
			perWatcherKb: (after - before) / watchers,
			connectMs,
			p50: percentile(allDelivered, 50),
			p99: percentile(allDelivered, 99),
			max: Math.max(...allDelivered),
			socketP50: percentile(perSocket, 50),
			socketP99: percentile(perSocket, 99)
		};
	} finally {
		for (const socket of sockets) socket.terminate();
	}
}
