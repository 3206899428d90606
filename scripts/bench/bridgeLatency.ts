import WebSocket from 'ws';
import { rowEventId, type LiveEvent } from '../../shared/live/events';
import { LIVE_PROTOCOL_VERSION } from '../../shared/live/wire';
import { signRoomToken } from '../../shared/roomToken';
import { startBknd } from '../lib/bknd';
import { BENCH_SECRET } from './rawClients';
import { percentile } from './stats';

/** The rooms' BRIDGE_SECRET in the benchmark (bench.ts passes it to the rooms worker). */
export const BENCH_BRIDGE_SECRET = 'bench-bridge-secret-0123456789abcdef-0123';

const BENCH_JWT_SECRET = 'bench-bknd-jwt-secret-0123456789abcdef';

export interface BridgeLatency {
	writes: number;
	/** 0: each write right after the previous event arrived; otherwise writes start this far apart (at least). */
	paceMs: number;
	p50: number;
	p99: number;
	max: number;
}

/**
 * Event latency from a bknd REST write to a dashboard socket: starts its own bknd (seeded, temp SQLite file)
 * delivering to `roomsUrl`, watches ferme-verte's live room as staff, then PATCHes one project `writes` times,
 * one after the other, timing each from just before the request to the arrival of its event on the socket.
 *
 * Back to back (`paceMs` 0), each write starts as soon as the previous event reached the socket, while the
 * bridge still waits for the room's 200 for it (about 5 ms after the room broadcast it): a room's deliveries
 * are sequential, so that write waits for the tail of the previous one. `paceMs` spaces writes out like
 * people editing (20 writes/s at 50 ms), which measures one change's own path.
 */
export async function measureBridgeLatency(roomsUrl: string, writes: number, paceMs = 0): Promise<BridgeLatency> {
	const bknd = await startBknd({ jwtSecret: BENCH_JWT_SECRET, liveRoomsUrl: roomsUrl, bridgeSecret: BENCH_BRIDGE_SECRET });
	let socket: WebSocket | undefined;
	try {
		const token = await login(bknd.url);
		const projectId = await fermeVerteProject(bknd.url, token);
		const arrivals = new Arrivals();
		const { token: roomToken } = await signRoomToken(
			{ sub: '1', name: 'Bench', role: 'designer', tenant: 'ferme-verte', projects: [] },
			BENCH_SECRET,
			{ ttlSeconds: 3600 }
		);
		socket = new WebSocket(`${roomsUrl.replace('http', 'ws')}/ws/live/ferme-verte?v=${LIVE_PROTOCOL_VERSION}&token=${roomToken}`);
		socket.on('message', (data) => {
			const message = JSON.parse(String(data)) as { type: string; event?: LiveEvent };
			if (message.type === 'event' && message.event) arrivals.arrived(message.event.id, performance.now());
		});
		await new Promise<void>((resolve, reject) => {
			socket!.once('open', () => resolve());
			socket!.once('error', reject);
		});
		socket.once('close', (code, reason) => arrivals.fail(`the live room closed the dashboard socket (${code} ${String(reason)})`));

		const samples: number[] = [];
		// A few unmeasured writes first: the bridge's first delivery opens its connection to the rooms.
		for (let i = -20; i < writes; i++) {
			const started = performance.now();
			const row = await patch(bknd.url, token, projectId, { title: `Suivi des récoltes, mesure ${i}` });
			const id = rowEventId('projects', projectId, 'update', row.updated_at);
			const at = await arrivals.of(id);
			if (i >= 0) samples.push(at - started);
			const wait = started + paceMs - performance.now();
			if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		}
		return { writes, paceMs, p50: percentile(samples, 50), p99: percentile(samples, 99), max: Math.max(...samples) };
	} finally {
		socket?.close();
		await bknd.stop();
	}
}

async function login(bkndUrl: string): Promise<string> {
	const res = await fetch(`${bkndUrl}/api/auth/password/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: 'admin@fata.plus', password: 'fataplus-demo' })
	});
	if (!res.ok) throw new Error(`bench: bknd login answered ${res.status}`);
	return ((await res.json()) as { token: string }).token;
}

async function fermeVerteProject(bkndUrl: string, token: string): Promise<number> {
	const headers = { authorization: `Bearer ${token}` };
	const clients = (await (await fetch(`${bkndUrl}/api/data/entity/clients?where=${encodeURIComponent('{"slug":"ferme-verte"}')}`, { headers })).json()) as {
		data: { id: number }[];
	};
	const projects = (await (
		await fetch(`${bkndUrl}/api/data/entity/projects?limit=1&where=${encodeURIComponent(JSON.stringify({ clients_id: clients.data[0]!.id }))}`, { headers })
	).json()) as { data: { id: number }[] };
	return projects.data[0]!.id;
}

async function patch(bkndUrl: string, token: string, id: number, body: Record<string, unknown>): Promise<{ updated_at: string }> {
	const res = await fetch(`${bkndUrl}/api/data/entity/projects/${id}`, {
		method: 'PATCH',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	if (!res.ok) throw new Error(`bench: PATCH answered ${res.status}`);
	return ((await res.json()) as { data: { updated_at: string } }).data;
}

/** Arrival times of events on the socket, awaited by id (an event may arrive before its write's answer). */
class Arrivals {
	private readonly times = new Map<string, number>();
	private readonly waiting = new Map<string, (at: number) => void>();
	private failure: string | null = null;
	private rejectWaiting: ((error: Error) => void) | null = null;

	/** The socket is gone: whatever is awaited will not come. */
	fail(reason: string): void {
		this.failure = reason;
		this.rejectWaiting?.(new Error(`bench: ${reason}`));
	}

	arrived(id: string, at: number): void {
		this.times.set(id, at);
		this.waiting.get(id)?.(at);
	}

	/** When event `id` arrived; waits up to 10 s for it. */
	of(id: string): Promise<number> {
		const at = this.times.get(id);
		this.times.clear();
		if (at !== undefined) return Promise.resolve(at);
		if (this.failure) return Promise.reject(new Error(`bench: ${this.failure}`));
		return new Promise((resolve, reject) => {
			this.rejectWaiting = reject;
			const timer = setTimeout(() => reject(new Error(`bench: event ${id} never reached the dashboard socket`)), 10_000);
			this.waiting.set(id, (time) => {
				clearTimeout(timer);
				this.waiting.delete(id);
				resolve(time);
			});
		});
	}
}
