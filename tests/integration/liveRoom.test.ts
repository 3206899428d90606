import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRooms, type RoomsServer } from '../../scripts/lib/rooms';
import { tryUpgrade } from '../harness/rawSocket';
import { mintRoomToken } from '../harness/roomTokens';
import { TEST_ROOM_TOKEN_SECRET } from '../harness/secrets';
import { waitFor } from '../../scripts/lib/waitFor';

// The tenant live rooms use the same tokens as project rooms: a watcher of one tenant must never
// be admitted to another tenant's feed, and only staff to the cross-tenant `fataplus` room.
describe('live room admission over the real rooms worker (wrangler dev)', () => {
	let rooms: RoomsServer;
	const url = (room: string, token: string, query = 'v=1') => `${rooms.url.replace('http', 'ws')}/ws/live/${room}?${query}&token=${token}`;

	beforeAll(async () => {
		rooms = await startRooms({ secret: TEST_ROOM_TOKEN_SECRET });
	}, 90_000);

	afterAll(async () => {
		await rooms?.stop();
	});

	it('admits a client to its own tenant room and greets it', async () => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', role: 'client' });
		const outcome = await tryUpgrade(url('ferme-verte', token));
		expect(outcome.upgraded).toBe(true);
		if (!outcome.upgraded) return;
		const hello = await waitFor(() => outcome.frames[0], { message: 'the hello frame' });
		expect(JSON.parse(String(hello))).toEqual({ type: 'hello', room: 'ferme-verte', seq: 0 });
		outcome.socket.close();
	});

	it("refuses another tenant's room and the staff room to a client (403), and a bad token (401)", async () => {
		const client = await mintRoomToken({ tenant: 'ferme-verte', role: 'client' });
		expect(await tryUpgrade(url('atelier-sud', client))).toMatchObject({ upgraded: false, status: 403 });
		expect(await tryUpgrade(url('fataplus', client))).toMatchObject({ upgraded: false, status: 403 });
		expect(await tryUpgrade(url('ferme-verte', 'garbage'))).toMatchObject({ upgraded: false, status: 401 });
	});

	it('admits staff to the fataplus room', async () => {
		const staff = await mintRoomToken({ tenant: 'fataplus', role: 'admin' });
		const outcome = await tryUpgrade(url('fataplus', staff));
		expect(outcome.upgraded).toBe(true);
		if (outcome.upgraded) outcome.socket.close();
	});

	it('HARDEN-LIVE-1 refuses a watcher without the protocol version, or with a malformed since, before the upgrade: 400 with { error }', async () => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', role: 'client' });
		const cases: Array<[string, string]> = [
			['since=0', 'protocol 1 required: reload the page'],
			['v=2', 'protocol 1 required: reload the page'],
			['v=1&since=', 'since must be a sequence number'],
			['v=1&since=-1', 'since must be a sequence number']
		];
		for (const [query, error] of cases) {
			const outcome = await tryUpgrade(url('ferme-verte', token, query));
			if (outcome.upgraded) outcome.socket.terminate();
			expect({ query, outcome }).toEqual({ query, outcome: { upgraded: false, status: 400, body: JSON.stringify({ error }) } });
		}
		// The token is checked first: a bad token with a bad v is still a 401.
		expect(await tryUpgrade(url('ferme-verte', 'garbage', 'v=2'))).toMatchObject({ upgraded: false, status: 401 });
	});

	it('closes a watcher that sends anything but a token renewal with 4400', async () => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', role: 'client' });
		const outcome = await tryUpgrade(url('ferme-verte', token));
		if (!outcome.upgraded) throw new Error('refused');
		const closed = new Promise<number>((resolve) => outcome.socket.once('close', (code) => resolve(code)));
		outcome.socket.send('{"type":"publish"}');
		expect(await closed).toBe(4400);
		expect(outcome.socket.readyState).toBe(WebSocket.CLOSED);
	});
});
