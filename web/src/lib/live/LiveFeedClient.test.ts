import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoggedEvent } from '../../../../shared/live/events';
import type { TokenResult } from '../rooms/RoomClient';
import { FakeWebSocket } from './FakeWebSocket';
import { LiveFeedClient, type LiveFeedOptions, type LiveStatus } from './LiveFeedClient';

const URL_ = 'ws://rooms.test/ws/live/ferme-verte';
const at = '2026-11-26T08:00:00.000Z';
const event = (seq: number, progress = seq): { type: 'event'; seq: number; event: LoggedEvent } => ({
	type: 'event',
	seq,
	event: { seq, id: `projects:3:update:${seq}`, tenant: 'ferme-verte', entity: 'projects', op: 'update', at, row: { id: 3, progress } }
});

/** A feed on a fake socket whose tokens are numbered, so a test can tell a fresh token from a reused one. */
function setup(overrides: Partial<LiveFeedOptions> = {}, tokens: Array<TokenResult | 'ok'> = []) {
	let issued = 0;
	const getToken = vi.fn(async (): Promise<TokenResult> => {
		const next = tokens.shift() ?? 'ok';
		if (next !== 'ok') return next;
		issued++;
		return { ok: true, token: `token-${issued}`, expiresAt: Date.now() + 60_000 };
	});
	const applied: number[] = [];
	const statuses: LiveStatus['state'][] = [];
	const onReset = vi.fn(async (_seq: number): Promise<number | null> => null);
	const feed = new LiveFeedClient({
		url: URL_,
		since: 10,
		getToken,
		WebSocket: FakeWebSocket,
		minReconnectionDelay: 1_000,
		maxReconnectionDelay: 8_000,
		onEvent: (e) => applied.push(e.seq),
		onStatus: (s) => statuses.push(s.state),
		onReset,
		...overrides
	});
	return { feed, getToken, applied, statuses, onReset: overrides.onReset ?? onReset };
}

/** Lets partysocket's timers and the token promise run (`ms` of fake time). */
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

describe('LiveFeedClient', () => {
	beforeEach(() => {
		vi.useFakeTimers();
		FakeWebSocket.reset();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('LIVE-C1 connects with the protocol version, a room token and since = the snapshot’s number, and is live after hello', async () => {
		const { feed, statuses } = setup();
		await tick();
		const socket = FakeWebSocket.last;
		expect(socket.url.startsWith(`${URL_}?`)).toBe(true);
		expect(Object.fromEntries(socket.params)).toEqual({ v: '1', token: 'token-1', since: '10' });
		expect(feed.status.state).toBe('connecting');
		socket.open();
		socket.receive({ type: 'hello', room: 'ferme-verte', seq: 12 });
		expect(feed.status.state).toBe('live');
		expect(statuses).toEqual(['live']);
		feed.destroy();
	});

	it('LIVE-C2 applies events in order and drops any seq at or below the last applied (no double count)', async () => {
		const { feed, applied } = setup();
		await tick();
		const socket = FakeWebSocket.last;
		socket.open();
		socket.receive({ type: 'hello', room: 'ferme-verte', seq: 13 });
		for (const seq of [9, 10, 11, 11, 12, 12, 13, 7]) socket.receive(event(seq));
		expect(applied).toEqual([11, 12, 13]);
		expect(feed.seq).toBe(13);
		feed.destroy();
	});

	it('LIVE-C3 after a drop it shows reconnecting, waits with backoff and resumes from the last applied seq with a fresh token', async () => {
		const { feed, applied, getToken } = setup();
		await tick();
		let socket = FakeWebSocket.last;
		socket.open();
		socket.receive({ type: 'hello', room: 'ferme-verte', seq: 10 });
		socket.receive(event(11));
		socket.drop(1006);
		expect(feed.status.state).toBe('reconnecting');
		await tick(999);
		expect(FakeWebSocket.all).toHaveLength(1);
		await tick(1);
		socket = FakeWebSocket.last;
		expect(FakeWebSocket.all).toHaveLength(2);
		expect(socket.params.get('since')).toBe('11');
		expect(socket.params.get('token')).toBe('token-2');
		expect(getToken).toHaveBeenCalledTimes(2);
		// The second failure in a row waits longer (×1.3).
		socket.drop(1006);
		await tick(1_299);
		expect(FakeWebSocket.all).toHaveLength(2);
		await tick(1);
		socket = FakeWebSocket.last;
		expect(socket.params.get('token')).toBe('token-3');
		socket.open();
		socket.receive({ type: 'hello', room: 'ferme-verte', seq: 12 });
		socket.receive(event(11));
		socket.receive(event(12));
		expect(applied).toEqual([11, 12]);
		expect(feed.status.state).toBe('live');
		feed.destroy();
	});

	it('LIVE-C4 a 4401 close reconnects with a new token', async () => {
		const { feed } = setup();
		await tick();
		FakeWebSocket.last.open();
		FakeWebSocket.last.receive({ type: 'hello', room: 'ferme-verte', seq: 10 });
		FakeWebSocket.last.drop(4401, 'token expired');
		expect(feed.status.state).toBe('reconnecting');
		await tick(1_000);
		expect(FakeWebSocket.all).toHaveLength(2);
		expect(FakeWebSocket.last.params.get('token')).toBe('token-2');
		feed.destroy();
	});

	it('LIVE-C5 a 4403 close stops the feed for good and says why', async () => {
		const { feed } = setup();
		await tick();
		FakeWebSocket.last.open();
		FakeWebSocket.last.receive({ type: 'hello', room: 'ferme-verte', seq: 10 });
		FakeWebSocket.last.drop(4403, 'token is for another tenant');
		expect(feed.status).toEqual({ state: 'denied', reason: 'forbidden', message: 'token is for another tenant' });
		await tick(60_000);
		expect(FakeWebSocket.all).toHaveLength(1);
		feed.destroy();
	});

	it('LIVE-C6 a refused token stops the feed: 403 forbidden, 401 signed out; a network failure retries', async () => {
		const refused = setup({}, [{ ok: false, status: 403, error: 'Accès refusé' }]);
		await tick(60_000);
		expect(refused.feed.status).toEqual({ state: 'denied', reason: 'forbidden', message: 'Accès refusé' });
		expect(FakeWebSocket.all).toHaveLength(0);
		expect(refused.getToken).toHaveBeenCalledTimes(1);

		const signedOut = setup({}, [{ ok: false, status: 401, error: 'Connectez-vous' }]);
		await tick(60_000);
		expect(signedOut.feed.status).toMatchObject({ state: 'denied', reason: 'signedOut' });

		const offline = setup({}, [{ ok: false, status: 0, error: 'Failed to fetch' }]);
		await tick();
		expect(offline.feed.status.state).toBe('reconnecting');
		await tick(1_000);
		expect(FakeWebSocket.all).toHaveLength(1);
		expect(FakeWebSocket.last.params.get('token')).toBe('token-1');
		offline.feed.destroy();
	});

	it('LIVE-C7 on reset it stops applying, reloads the snapshot, then continues from the snapshot’s seq', async () => {
		let release!: (seq: number) => void;
		const { feed, applied, onReset } = setup({ onReset: vi.fn(() => new Promise<number>((resolve) => (release = resolve))) });
		await tick();
		const first = FakeWebSocket.last;
		first.open();
		first.receive({ type: 'hello', room: 'ferme-verte', seq: 10 });
		first.receive({ type: 'reset', seq: 50, reason: 'too-old' });
		expect(onReset).toHaveBeenCalledWith(50);
		expect(first.closedWith).not.toBeNull();
		expect(feed.status.state).toBe('reconnecting');
		first.receive(event(11));
		expect(applied).toEqual([]);
		await tick(30_000);
		expect(FakeWebSocket.all).toHaveLength(1);
		release(48);
		await tick();
		const second = FakeWebSocket.last;
		expect(FakeWebSocket.all).toHaveLength(2);
		expect(second.params.get('since')).toBe('48');
		second.open();
		second.receive({ type: 'hello', room: 'ferme-verte', seq: 50 });
		second.receive(event(49));
		second.receive(event(50));
		expect(applied).toEqual([49, 50]);
		expect(feed.status.state).toBe('live');
		feed.destroy();
	});

	it('LIVE-C8 without a known join point it reloads the snapshot once the room says its seq, and continues from it', async () => {
		const { feed, onReset, applied } = setup({ since: null });
		await tick();
		expect(FakeWebSocket.last.params.has('since')).toBe(false);
		FakeWebSocket.last.open();
		FakeWebSocket.last.receive({ type: 'hello', room: 'ferme-verte', seq: 30 });
		FakeWebSocket.last.receive(event(1));
		expect(onReset).toHaveBeenCalledWith(30);
		await tick();
		expect(FakeWebSocket.last.params.get('since')).toBe('30');
		expect(applied).toEqual([]);
		feed.destroy();
	});

	it('LIVE-C9 a failed snapshot reload is retried, and a room behind our seq (it lost its log) triggers one', async () => {
		const onReset = vi.fn<(seq: number) => Promise<number | null>>().mockRejectedValueOnce(new Error('503')).mockResolvedValue(3);
		const { feed } = setup({ onReset, resetRetryMs: 2_000 });
		await tick();
		FakeWebSocket.last.open();
		FakeWebSocket.last.receive({ type: 'hello', room: 'ferme-verte', seq: 4 });
		expect(onReset).toHaveBeenCalledWith(4);
		await tick(1_999);
		expect(onReset).toHaveBeenCalledTimes(1);
		await tick(1);
		expect(onReset).toHaveBeenCalledTimes(2);
		await tick(10);
		expect(FakeWebSocket.last.params.get('since')).toBe('3');
		feed.destroy();
	});

	it('LIVE-C10 ignores malformed frames and forwards revocations', async () => {
		const onRevoked = vi.fn();
		const { feed, applied } = setup({ onRevoked });
		await tick();
		const socket = FakeWebSocket.last;
		socket.open();
		socket.receive({ type: 'hello', room: 'ferme-verte', seq: 10 });
		socket.receive('not json');
		socket.receive({ type: 'event', seq: 11, event: { id: 'x', entity: 'users', op: 'update', tenant: null, at, row: {} } });
		socket.receive({ type: 'event', seq: 12, event: { ...event(12).event, row: 'nope' } });
		socket.receive({ type: 'revoked', projectId: 3 });
		expect(applied).toEqual([]);
		expect(onRevoked).toHaveBeenCalledWith(3);
		expect(feed.seq).toBe(10);
		feed.destroy();
	});

	it('HARDEN-LIVE-C1 renews the token on the open socket 30 s before it expires, with a fresh token each time, and never reconnects for it', async () => {
		const { feed, getToken, applied } = setup();
		await tick();
		const socket = FakeWebSocket.last;
		socket.open();
		socket.receive({ type: 'hello', room: 'ferme-verte', seq: 10 });
		await tick(29_999);
		expect(socket.sent).toEqual([]);
		await tick(1);
		expect(socket.sent).toEqual([JSON.stringify({ type: 'auth', token: 'token-2' })]);
		socket.receive({ type: 'auth-ok', expiresAt: Date.now() + 60_000 });
		// Every 30 s after that (each token lives 60 s), for as long as the page stays open.
		await tick(90_000);
		expect(socket.sent.map((m) => JSON.parse(String(m)).token)).toEqual(['token-2', 'token-3', 'token-4', 'token-5']);
		expect(getToken).toHaveBeenCalledTimes(5);
		expect(FakeWebSocket.all).toHaveLength(1);
		socket.receive(event(11));
		expect(applied).toEqual([11]);
		expect(feed.status.state).toBe('live');
		feed.destroy();
		await tick(120_000);
		expect(getToken).toHaveBeenCalledTimes(5);
	});

	it('HARDEN-LIVE-C2 a renewal the web app refuses stops the feed (401 signed out, 403 forbidden) with no more renewals or reconnects; an unreachable app is retried', async () => {
		for (const [refusal, reason] of [
			[{ ok: false, status: 401, error: 'Connectez-vous' }, 'signedOut'],
			[{ ok: false, status: 403, error: 'Accès refusé' }, 'forbidden']
		] as const) {
			FakeWebSocket.reset();
			const { feed, getToken } = setup({}, ['ok', refusal]);
			await tick();
			FakeWebSocket.last.open();
			FakeWebSocket.last.receive({ type: 'hello', room: 'ferme-verte', seq: 10 });
			await tick(30_000);
			expect(feed.status).toEqual({ state: 'denied', reason, message: refusal.error });
			expect(FakeWebSocket.last.sent).toEqual([]);
			expect(FakeWebSocket.last.closedWith?.code).toBe(1000);
			await tick(300_000);
			expect(getToken).toHaveBeenCalledTimes(2);
			expect(FakeWebSocket.all).toHaveLength(1);
		}

		FakeWebSocket.reset();
		const { feed } = setup({ renewRetryMs: 5_000 }, ['ok', { ok: false, status: 0, error: 'Failed to fetch' }]);
		await tick();
		FakeWebSocket.last.open();
		FakeWebSocket.last.receive({ type: 'hello', room: 'ferme-verte', seq: 10 });
		await tick(30_000);
		expect(feed.status.state).toBe('live');
		expect(FakeWebSocket.last.sent).toEqual([]);
		await tick(5_000);
		expect(FakeWebSocket.last.sent).toEqual([JSON.stringify({ type: 'auth', token: 'token-2' })]);
		feed.destroy();
	});

	it('HARDEN-LIVE-C3 a socket that dropped sends no renewal: the reconnection fetches its own token and renews 30 s after it', async () => {
		const { feed, getToken } = setup();
		await tick();
		const first = FakeWebSocket.last;
		first.open();
		first.receive({ type: 'hello', room: 'ferme-verte', seq: 10 });
		await tick(20_000);
		first.drop(4401, 'token expired: reconnect');
		await tick(1_000);
		const second = FakeWebSocket.last;
		expect(second.params.get('token')).toBe('token-2');
		second.open();
		second.receive({ type: 'hello', room: 'ferme-verte', seq: 10 });
		await tick(29_000);
		expect([first.sent, second.sent]).toEqual([[], []]);
		await tick(1_000);
		expect(second.sent).toEqual([JSON.stringify({ type: 'auth', token: 'token-3' })]);
		expect(getToken).toHaveBeenCalledTimes(3);
		feed.destroy();
	});

	it('LIVE-C11 destroy closes the socket and never reconnects', async () => {
		const { feed } = setup();
		await tick();
		FakeWebSocket.last.open();
		feed.destroy();
		expect(FakeWebSocket.last.closedWith?.code).toBe(1000);
		await tick(60_000);
		expect(FakeWebSocket.all).toHaveLength(1);
	});

	it('HEARTBEAT-C1 a quiet room that answers the ping stays connected: one ping per 20 s of silence, never a reconnect', async () => {
		const { feed } = setup();
		await tick();
		const socket = FakeWebSocket.last;
		socket.open();
		socket.receive({ type: 'hello', room: 'ferme-verte', seq: 10 });
		await tick(19_999);
		expect(socket.pings).toBe(0);
		await tick(1);
		expect(socket.pings).toBe(1);
		// Any frame counts as a sign of life: an event postpones the next ping.
		await tick(15_000);
		socket.receive(event(11));
		await tick(15_000);
		expect(socket.pings).toBe(1);
		await tick(120_000);
		expect(socket.pings).toBe(7);
		expect(FakeWebSocket.all).toHaveLength(1);
		expect(feed.status.state).toBe('live');
		feed.destroy();
	});

	it('HEARTBEAT-C2 a room that vanished without closing is noticed 30 s into the silence: reconnecting, then a new socket resumes from the last seq', async () => {
		const { feed, statuses } = setup();
		await tick();
		const socket = FakeWebSocket.last;
		socket.answersPings = false;
		socket.open();
		socket.receive({ type: 'hello', room: 'ferme-verte', seq: 10 });
		socket.receive(event(11));
		await tick(29_999);
		expect(feed.status.state).toBe('live');
		await tick(1);
		expect(feed.status.state).toBe('reconnecting');
		expect(socket.closedWith?.code).toBe(1000);
		await tick(2_000);
		expect(FakeWebSocket.all).toHaveLength(2);
		expect(FakeWebSocket.last.params.get('since')).toBe('11');
		FakeWebSocket.last.open();
		FakeWebSocket.last.receive({ type: 'hello', room: 'ferme-verte', seq: 11 });
		expect(statuses.slice(-2)).toEqual(['reconnecting', 'live']);
		feed.destroy();
	});
});
