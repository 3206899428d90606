import { describe, expect, it } from 'vitest';
import { signRoomToken, type RoomTokenSubject } from '../../shared/roomToken';
import { authorizeToken } from '../roomAuth';
import { MemoryStorage } from '../storage/MemoryStorage';
import { LiveHub } from './LiveHub';
import { BRIDGE, FakeAlarm, FakeSockets, projectEvent, shareRevoked, signed, type FakeWatcher } from './testKit';
import { WatcherExpiry } from './WatcherExpiry';

// A watcher's token over time: closed at its expiry with no event (the room's alarm), kept open by renewals on
// the socket, and the renewals' limits. One live room with an injected clock, fake sockets and a fake alarm.

const TOKENS = 'unit-room-token-secret-0123456789abcdef';
const ROOM = 'ferme-verte';

async function room() {
	let now = Date.UTC(2026, 11, 7, 8, 0, 0);
	const sockets = new FakeSockets();
	const alarm = new FakeAlarm();
	const expiry = new WatcherExpiry(sockets.list, alarm, () => now);
	const authorize = (token: string | null) => authorizeToken(token, 'live', ROOM, TOKENS, now);
	const live = await LiveHub.open({ roomId: ROOM, storage: new MemoryStorage(), sockets: sockets.list, bridgeSecret: BRIDGE, authorize, expiry, now: () => now, log: () => {} });
	const mint = async (subject: Partial<RoomTokenSubject> = {}, ttlSeconds = 60) =>
		(await signRoomToken({ sub: '9', name: 'Fara', role: 'client', tenant: ROOM, projects: [3], ...subject }, TOKENS, { now, ttlSeconds })).token;
	return {
		live,
		alarm,
		mint,
		get now() {
			return now;
		},
		/** Moves the clock on by `ms` (nothing rings by itself: see `ring`). */
		pass(ms: number) {
			now += ms;
		},
		async connect(subject: Partial<RoomTokenSubject> = {}, ttlSeconds = 60): Promise<FakeWatcher> {
			const socket = sockets.add();
			const auth = await authorize(await mint(subject, ttlSeconds));
			if (!auth.ok) throw new Error(auth.error);
			await live.connect(socket, auth.claims, null);
			return socket;
		},
		renew: (socket: FakeWatcher, token: string) => live.message(socket, JSON.stringify({ type: 'auth', token })),
		/** The runtime rings the alarm at its time: the clock moves there and the alarm is consumed. */
		async ring() {
			if (alarm.at === null) throw new Error('no alarm set');
			now = Math.max(now, alarm.at);
			alarm.at = null;
			for (const socket of await expiry.ring()) live.leave(socket);
		},
		deliver: async (events: Parameters<typeof signed>[0]) => expect((await live.deliver(await signed(events, { timestamp: now }))).status).toBe(200)
	};
}

const types = (socket: FakeWatcher) => socket.messages.map((m) => m.type);

describe('a watcher’s token: closed at expiry, renewed on the socket', () => {
	it('HARDEN-LIVE-4 an expired watcher is closed with 4401 at its expiry with no event; the alarm then moves to the next expiry, and none is left once no watcher is', async () => {
		const r = await room();
		const short = await r.connect({}, 60);
		const long = await r.connect({ sub: '10' }, 90);
		const start = r.now;
		expect(r.alarm.at).toBe(Math.floor(start / 1000) * 1000 + 60_000);
		await r.ring();
		expect(short.closed).toEqual({ code: 4401, reason: 'token expired: reconnect' });
		expect(long.closed).toBeNull();
		expect(types(short)).toEqual(['hello']);
		expect(r.alarm.at).toBe(Math.floor(start / 1000) * 1000 + 90_000);
		await r.ring();
		expect(long.closed).toEqual({ code: 4401, reason: 'token expired: reconnect' });
		expect(r.alarm.at).toBeNull();
	});

	it('HARDEN-LIVE-5 a watcher that renews is answered auth-ok, is not closed at the first expiry and still receives events', async () => {
		const r = await room();
		const watcher = await r.connect();
		const firstExpiry = r.alarm.at!;
		r.pass(30_000);
		const token = await r.mint();
		await r.renew(watcher, token);
		const renewedExp = Math.floor(r.now / 1000) + 60;
		expect(watcher.messages.at(-1)).toEqual({ type: 'auth-ok', expiresAt: renewedExp * 1000 });
		expect(watcher.state).toMatchObject({ exp: renewedExp });
		// The alarm rings at the first expiry for nothing, then waits for the renewed one.
		expect(r.alarm.at).toBe(firstExpiry);
		await r.ring();
		expect(watcher.closed).toBeNull();
		expect(r.alarm.at).toBe(renewedExp * 1000);
		await r.deliver({ events: [projectEvent(1)] });
		expect(watcher.seqs()).toEqual([1]);
		await r.ring();
		expect(watcher.closed).toEqual({ code: 4401, reason: 'token expired: reconnect' });
	});

	it('HARDEN-LIVE-6 a renewal for another user (4403), another tenant (4403), another role (4401), a bad or expired token (4401), or any other message (4400) closes the socket and changes nothing', async () => {
		const r = await room();
		const cases: Array<[string, () => Promise<string>, { code: number; reason: string }]> = [
			['another user', () => r.mint({ sub: '11' }), { code: 4403, reason: 'a renewed token must be for the same user' }],
			['another tenant', () => r.mint({ tenant: 'atelier-sud' }), { code: 4403, reason: expect.stringContaining('token refused') }],
			['another role', () => r.mint({ role: 'designer' }), { code: 4401, reason: 'your access changed: reconnect' }],
			['forged', async () => 'garbage', { code: 4401, reason: 'token refused: token invalid' }],
			['expired', () => r.mint({}, -1), { code: 4401, reason: 'token refused: token expired' }]
		];
		for (const [name, token, closed] of cases) {
			const watcher = await r.connect();
			const before = watcher.state;
			await r.renew(watcher, await token());
			expect({ name, closed: watcher.closed }).toEqual({ name, closed });
			expect(watcher.state).toEqual(before);
			expect(types(watcher)).toEqual(['hello']);
		}
		const others: Array<[string, string | ArrayBuffer, number]> = [
			['a publish', '{"type":"publish"}', 4400],
			['not JSON', 'auth', 4400],
			['an extra field', JSON.stringify({ type: 'auth', token: await r.mint(), extra: 1 }), 4400],
			['binary', new ArrayBuffer(8), 4400],
			// 3,000 characters, 9,000 bytes of UTF-8: the cap counts bytes.
			['over 8 KiB', JSON.stringify({ type: 'auth', token: '€'.repeat(3_000) }), 4413]
		];
		for (const [name, frame, code] of others) {
			const watcher = await r.connect();
			await r.live.message(watcher, frame);
			expect({ name, code: watcher.closed?.code }).toEqual({ name, code });
		}
	});

	it('HARDEN-LIVE-7 a partner’s renewal admitting fewer projects drops them as a revocation does; one admitting more says reconnect; a share revoked since is not brought back', async () => {
		const r = await room();
		const partner = { role: 'partner' as const, partnerId: 7 };
		const watcher = await r.connect({ ...partner, projects: [3, 4, 5] });
		await r.renew(watcher, await r.mint({ ...partner, projects: [4, 5] }));
		expect(watcher.messages.slice(1).map((m) => m.type)).toEqual(['revoked', 'auth-ok']);
		expect(watcher.messages[1]).toEqual({ type: 'revoked', projectId: 3 });
		expect(watcher.state).toMatchObject({ projects: [4, 5] });
		await r.deliver({ events: [projectEvent('p3', {}, { id: 3 }), projectEvent('p4', {}, { id: 4 })] });
		expect(watcher.messages.flatMap((m) => (m.type === 'event' ? [m.event.row.id] : []))).toEqual([4]);
		// A token issued before project 4's revocation still lists it: the room's record drops it all the same.
		const minted = await r.mint({ ...partner, projects: [4, 5] });
		r.pass(1_000);
		await r.deliver({ events: [shareRevoked(4, 7)] });
		await r.renew(watcher, minted);
		expect(watcher.closed).toBeNull();
		expect(watcher.state).toMatchObject({ projects: [5] });
		await r.renew(watcher, await r.mint({ ...partner, projects: [5, 6] }));
		expect(watcher.closed).toEqual({ code: 4401, reason: 'your access changed: reconnect' });
		// The last project dropped by a renewal: 4403, nothing left to watch.
		const last = await r.connect({ ...partner, projects: [5] });
		await r.renew(last, await r.mint({ ...partner, projects: [] }));
		expect(last.messages.at(-1)).toEqual({ type: 'revoked', projectId: 5 });
		expect(last.closed).toEqual({ code: 4403, reason: 'no shared project left in this room' });
	});

	it('HARDEN-LIVE-8 a flood of renewals, or more than one per 5 s sustained, closes 4429; one every 5 s for ten minutes does not', async () => {
		const r = await room();
		const flooder = await r.connect();
		const token = await r.mint();
		for (let i = 0; i < 4; i++) await r.renew(flooder, token);
		expect(types(flooder)).toEqual(['hello', 'auth-ok', 'auth-ok', 'auth-ok']);
		expect(flooder.closed).toEqual({ code: 4429, reason: 'too many token renewals' });

		const fast = await r.connect();
		let sent = 0;
		while (!fast.closed && sent < 100) {
			await r.renew(fast, await r.mint());
			sent++;
			r.pass(2_000);
		}
		expect(fast.closed?.code).toBe(4429);
		expect(sent).toBeLessThan(10);

		const steady = await r.connect();
		for (let i = 0; i < 120; i++) {
			r.pass(5_000);
			await r.renew(steady, await r.mint());
		}
		expect(steady.closed).toBeNull();
		expect(types(steady).filter((t) => t === 'auth-ok')).toHaveLength(120);
	});
});
