import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HEARTBEAT } from '../../shared/heartbeat';
import { processName, processTree } from '../../scripts/lib/processTree';
import { startRooms, type RoomsServer } from '../../scripts/lib/rooms';
import { waitFor } from '../../scripts/lib/waitFor';
import { LiveFeedClient, type LiveStatus } from '../../web/src/lib/live/LiveFeedClient';
import { RoomClient } from '../../web/src/lib/rooms/RoomClient';
import { tryUpgrade } from '../harness/rawSocket';
import { mintRoomToken } from '../harness/roomTokens';
import { TEST_ROOM_TOKEN_SECRET } from '../harness/secrets';

// A room that vanishes without closing (network gone, server frozen) must not leave a page saying "live" for
// minutes. Both clients ping after a silence and reconnect when nothing answers (shared/heartbeat.ts). What must
// never happen: a ping closing a socket (a live room's hub closes on any unknown message, 4400), or a frozen
// room left unnoticed.

let rooms: RoomsServer;
const wsBase = () => rooms.url.replace('http', 'ws');
const HEARTBEAT_FAST = { quietMs: 400, answerMs: 600 };

beforeAll(async () => {
	rooms = await startRooms({ secret: TEST_ROOM_TOKEN_SECRET });
}, 90_000);

afterAll(async () => {
	await rooms?.stop();
});

describe('HEARTBEAT over the real rooms worker', () => {
	it('HEARTBEAT-2: a ping gets a pong from a live room (answered by the runtime, the socket stays open) and from a project room', async () => {
		const live = await tryUpgrade(`${wsBase()}/ws/live/ferme-verte?v=1&token=${await mintRoomToken({ tenant: 'ferme-verte', role: 'client' })}`);
		const project = await tryUpgrade(`${wsBase()}/ws/project/ferme-verte.3?v=1&token=${await mintRoomToken({ tenant: 'ferme-verte', projects: [3] })}`);
		if (!live.upgraded || !project.upgraded) throw new Error('a room refused the test socket');
		await waitFor(() => live.frames.length > 0 && project.frames.length > 0, { message: 'hello and welcome' });
		for (const { socket } of [live, project]) socket.send(HEARTBEAT.ping);
		await waitFor(() => live.frames.includes(HEARTBEAT.pong) && project.frames.includes(HEARTBEAT.pong), { message: 'both pongs' });
		// Still open: a second ping is answered too.
		live.socket.send(HEARTBEAT.ping);
		await waitFor(() => live.frames.filter((f) => f === HEARTBEAT.pong).length === 2, { message: 'a second pong' });
		expect(live.socket.readyState).toBe(WebSocket.OPEN);
		expect(project.socket.readyState).toBe(WebSocket.OPEN);
		live.socket.close();
		project.socket.close();
	});

	it('HEARTBEAT-3: with the rooms frozen (SIGSTOP), both clients leave "live" within seconds, and are live again once the rooms resume', async () => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', projects: [4] });
		const room = new RoomClient({
			url: `${wsBase()}/ws/project/ferme-verte.4`,
			WebSocket,
			heartbeat: HEARTBEAT_FAST,
			getToken: async () => ({ ok: true, token: await mintRoomToken({ tenant: 'ferme-verte', projects: [4] }), expiresAt: Date.now() + 60_000 })
		});
		let feedStatus: LiveStatus['state'] = 'connecting';
		const feed = new LiveFeedClient({
			url: `${wsBase()}/ws/live/ferme-verte`,
			since: 0,
			WebSocket,
			heartbeat: HEARTBEAT_FAST,
			minReconnectionDelay: 200,
			maxReconnectionDelay: 1_000,
			getToken: async () => ({ ok: true, token, expiresAt: Date.now() + 60_000 }),
			onEvent: () => undefined,
			onReset: async () => null,
			onStatus: (status) => (feedStatus = status.state)
		});
		const workerd = processTree(rooms.process.pid!).filter((pid) => processName(pid) === 'workerd');
		expect(workerd.length).toBeGreaterThan(0);
		try {
			await waitFor(() => room.status.state === 'live' && feedStatus === 'live', { message: 'both clients live' });
			// Quiet for longer than the heartbeat's silence: the pongs keep both live.
			const quietUntil = Date.now() + 2 * (HEARTBEAT_FAST.quietMs + HEARTBEAT_FAST.answerMs);
			await waitFor(() => Date.now() > quietUntil || room.status.state !== 'live' || feedStatus !== 'live', { timeout: 10_000, message: 'a quiet period' });
			expect([room.status.state, feedStatus]).toEqual(['live', 'live']);

			const frozenAt = Date.now();
			for (const pid of workerd) process.kill(pid, 'SIGSTOP');
			await waitFor(() => room.status.state !== 'live' && feedStatus !== 'live', { timeout: 10_000, message: 'both clients to notice the frozen rooms' });
			const noticedAfter = Date.now() - frozenAt;
			expect(noticedAfter).toBeLessThan(HEARTBEAT_FAST.quietMs + HEARTBEAT_FAST.answerMs + 2_000);
			expect(room.status.state).toBe('offline');
			expect(feedStatus).toBe('reconnecting');
		} finally {
			for (const pid of workerd) process.kill(pid, 'SIGCONT');
		}
		await waitFor(() => room.status.state === 'live' && feedStatus === 'live', { timeout: 20_000, message: 'both clients live again' });
		room.destroy();
		feed.destroy();
	}, 60_000);
});
