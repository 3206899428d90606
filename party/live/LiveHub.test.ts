import { describe, expect, it } from 'vitest';
import { DELIVERY_LIMITS } from '../../shared/live/delivery';
import { signRoomToken } from '../../shared/roomToken';
import { authorizeToken } from '../roomAuth';
import { MemoryStorage } from '../storage/MemoryStorage';
import { LiveHub, type LiveHubOptions } from './LiveHub';
import { BRIDGE, FakeSockets, events, projectEvent, shareRevoked, signed } from './testKit';

const TOKENS = 'unit-room-token-secret-0123456789abcdef';

async function hub(storage = new MemoryStorage(), roomId = 'ferme-verte', secret: string | null = BRIDGE, extra: Partial<LiveHubOptions> = {}) {
	const sockets = new FakeSockets();
	const live = await LiveHub.open({
		roomId,
		storage,
		sockets: sockets.list,
		bridgeSecret: secret ?? undefined,
		authorize: (token) => authorizeToken(token, 'live', roomId, TOKENS),
		log: () => {},
		...extra
	});
	return { live, sockets, storage };
}

async function watch(live: LiveHub, sockets: FakeSockets, role: 'client' | 'designer' = 'client', since: number | null = 0) {
	const socket = sockets.add();
	const { token } = await signRoomToken({ sub: '9', name: 'Fara', role, tenant: 'ferme-verte', projects: [3] }, TOKENS);
	const verified = await authorizeToken(token, 'live', 'ferme-verte', TOKENS);
	if (!verified.ok) throw new Error('token');
	await live.connect(socket, verified.claims, since);
	return socket;
}

describe('LiveHub (deliveries, watchers and seq of one live room)', () => {
	it('HUB-1 answers an accepted delivery with accepted, duplicates and seq once stored, and watchers get the events in order', async () => {
		const { live, sockets, storage } = await hub();
		const watcher = await watch(live, sockets);
		const answer = await live.deliver(await signed({ events: events(3) }));
		expect(answer).toEqual({ status: 200, body: { accepted: 3, duplicates: 0, seq: 3 } });
		expect(storage.keys().filter((k) => k.startsWith('log:e:'))).toHaveLength(3);
		expect(watcher.seqs()).toEqual([1, 2, 3]);
		const again = await live.deliver(await signed({ events: [...events(3), projectEvent('x')] }));
		expect(again).toEqual({ status: 200, body: { accepted: 1, duplicates: 3, seq: 4 } });
		expect(watcher.seqs()).toEqual([1, 2, 3, 4]);
	});

	it('HUB-2 refused deliveries (unsigned, wrong key, stale, future, other tenant, too big, not JSON) store nothing and reach no one', async () => {
		const { live, sockets, storage } = await hub();
		await live.deliver(await signed({ events: events(1, 'first') }));
		const watcher = await watch(live, sockets, 'designer', null);
		const before = storage.keys();
		const good = await signed({ events: events(2, 'refused') });
		const refused = [
			[{ headers: new Headers(), body: good.body }, 401],
			[await signed({ events: events(2, 'refused') }, { secret: `${BRIDGE}-wrong` }), 401],
			[await signed({ events: events(2, 'refused') }, { timestamp: Date.now() - DELIVERY_LIMITS.maxAgeMs - 5_000 }), 401],
			[await signed({ events: events(2, 'refused') }, { timestamp: Date.now() + DELIVERY_LIMITS.maxAgeMs + 5_000 }), 401],
			[await signed({ events: [projectEvent('other', { tenant: 'atelier-sud' })] }), 400],
			[{ ...good, body: null }, 413],
			[await signed('{"events": ['), 400]
		] as const;
		for (const [delivery, status] of refused) expect((await live.deliver(delivery)).status).toBe(status);
		expect(storage.keys()).toEqual(before);
		expect(live.log.seq).toBe(1);
		expect(watcher.seqs()).toEqual([]);
	});

	it('HUB-3 a replayed delivery id gets 409 and stores nothing, even when the replay races the original', async () => {
		const { live, storage } = await hub();
		const delivery = await signed({ events: events(2) });
		const [first, raced] = await Promise.all([live.deliver(delivery), live.deliver(delivery)]);
		expect([first.status, raced.status]).toEqual([200, 409]);
		const after = storage.keys();
		expect(await live.deliver(delivery)).toMatchObject({ status: 409 });
		// The same events under a new delivery id are welcome: they are duplicates, not a replay.
		expect(await live.deliver(await signed({ events: events(2) }))).toEqual({ status: 200, body: { accepted: 0, duplicates: 2, seq: 2 } });
		expect(storage.keys().filter((k) => k.startsWith('log:'))).toEqual(after.filter((k) => k.startsWith('log:')));
	});

	it('HUB-4 remembers delivery ids across a reload, and forgets them once the age check would refuse the replay anyway', async () => {
		let now = Date.now();
		const storage = new MemoryStorage();
		const first = await LiveHub.open({ roomId: 'ferme-verte', storage, sockets: () => [], bridgeSecret: BRIDGE, authorize: async () => ({ ok: false, status: 401, error: 'x' }), now: () => now });
		const delivery = await signed({ events: events(1) }, { timestamp: now });
		expect((await first.deliver(delivery)).status).toBe(200);
		const restarted = storage.restart();
		const reloaded = await LiveHub.open({ roomId: 'ferme-verte', storage: restarted, sockets: () => [], bridgeSecret: BRIDGE, authorize: async () => ({ ok: false, status: 401, error: 'x' }), now: () => now });
		expect((await reloaded.deliver(delivery)).status).toBe(409);
		now += DELIVERY_LIMITS.maxAgeMs + 2_000;
		expect((await reloaded.deliver(delivery)).status).toBe(401);
		const later = await signed({ events: events(1, 'later') }, { timestamp: now, deliveryId: 'later-delivery' });
		expect((await reloaded.deliver(later)).status).toBe(200);
		// Forgetting runs after a delivery, in the delivery queue: the next delivery waits for it.
		await reloaded.deliver(await signed({ events: events(1, 'last') }, { timestamp: now }));
		const keys = restarted.keys().filter((k) => k.startsWith('delivery:id:'));
		expect(keys).not.toContain(`delivery:id:${delivery.headerMap['x-fataplus-delivery']}`);
		expect(keys).toContain('delivery:id:later-delivery');
		expect((await reloaded.deliver(later)).status).toBe(409);
	});

	it('HUB-5 GET seq answers { seq } to a room token of this room, 401 without one, 403 for another tenant’s', async () => {
		const { live } = await hub();
		await live.deliver(await signed({ events: events(2) }));
		const token = async (tenant: string) => (await signRoomToken({ sub: '9', name: 'F', role: 'client', tenant, projects: [] }, TOKENS)).token;
		const get = async (authorization?: string) => {
			const response = await live.fetch(new Request('http://rooms/ws/live/ferme-verte/seq', { headers: authorization ? { authorization } : {} }));
			return [response.status, await response.json()];
		};
		expect(await get(`Bearer ${await token('ferme-verte')}`)).toEqual([200, { seq: 2 }]);
		expect((await get())[0]).toBe(401);
		expect((await get('Bearer garbage'))[0]).toBe(401);
		expect((await get(`Bearer ${await token('atelier-sud')}`))[0]).toBe(403);
	});

	it('HUB-7 "one revocation produces one close": the tenant room tells project rooms once, after storing it; a re-sent or swept copy tells nothing; fataplus never tells', async () => {
		const told: Array<{ room: string; revocations: unknown; at: number; stored: boolean }> = [];
		const listen = (room: string, storage: MemoryStorage) => async (revocations: unknown, at: number) =>
			void told.push({ room, revocations, at, stored: storage.keys().some((k) => k.startsWith('revoked:')) });
		const tenantStorage = new MemoryStorage();
		const staffStorage = new MemoryStorage();
		// A clock that moves 1 s per reading, so a second recording of the revocation would show.
		let clock = Date.now();
		const now = () => (clock += 1_000);
		const { live: tenant } = await hub(tenantStorage, 'ferme-verte', BRIDGE, { now, onRevoked: listen('ferme-verte', tenantStorage) });
		const { live: staff } = await hub(staffStorage, 'fataplus', BRIDGE, { now, onRevoked: listen('fataplus', staffStorage) });
		const revocation = shareRevoked(3, 4);
		for (const room of [tenant, staff]) expect((await room.deliver(await signed({ events: [projectEvent('p'), revocation] }, { timestamp: clock }))).status).toBe(200);
		const recorded = await tenantStorage.get('revoked:4:3');
		expect(told).toEqual([{ room: 'ferme-verte', revocations: [{ partnerId: 4, projectId: 3 }], at: recorded, stored: true }]);

		// bknd re-delivers (a retry) or its sweeper finds the same row version: same event id, a duplicate.
		for (const room of [tenant, staff]) expect((await room.deliver(await signed({ events: [revocation] }, { timestamp: clock }))).body).toMatchObject({ accepted: 0, duplicates: 1 });
		expect(told).toHaveLength(1);
		// Nor does the duplicate move the room's revocation time (a share granted again meanwhile keeps working).
		expect(await tenantStorage.get('revoked:4:3')).toBe(recorded);
		// An event that revokes nothing tells nothing.
		await tenant.deliver(await signed({ events: [{ ...shareRevoked(5, 4), id: 'project_shares:granted', row: { id: 1, projects_id: 5, partners_id: 4, revoked_at: null } }] }, { timestamp: clock }));
		expect(told).toHaveLength(1);
	});

	it('HUB-6 without BRIDGE_SECRET every delivery is refused with 500', async () => {
		const { live, storage } = await hub(new MemoryStorage(), 'ferme-verte', null);
		expect((await live.deliver(await signed({ events: events(1) }))).status).toBe(500);
		expect(storage.keys()).toEqual([]);
	});
});
