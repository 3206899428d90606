import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRooms, type RoomsServer } from '../../scripts/lib/rooms';
import { tryUpgrade } from '../harness/rawSocket';
import { mintRoomToken } from '../harness/roomTokens';
import { TEST_ROOM_TOKEN_SECRET } from '../harness/secrets';
import { waitFor } from '../../scripts/lib/waitFor';

/**
 * The close code the room sent, as soon as its close frame arrived (maybe already, with the upgrade). partykit
 * dev's workerd ends the connection of a socket closed during onConnect only ~10 s later; browsers stop waiting
 * after ~2 s, `ws` after 30 s. `_closeFrameReceived`, `_closeCode` and `_receiver` (its frame parser) are ws internals.
 */
function closeFrame(socket: WebSocket): Promise<number> {
	const internals = socket as unknown as { _closeFrameReceived: boolean; _closeCode: number; _receiver?: { once(event: 'conclude', listener: (code: number) => void): void } };
	if (internals._closeFrameReceived) return Promise.resolve(internals._closeCode);
	return new Promise((resolve) => {
		socket.once('close', (code) => resolve(code));
		internals._receiver?.once('conclude', (code) => resolve(code));
	});
}

// The tenant live rooms use the same tokens as project rooms: a watcher of one tenant must never
// be admitted to another tenant's feed, and only staff to the cross-tenant `fataplus` room.
describe('live room admission over real partykit dev', () => {
	let rooms: RoomsServer;
	const url = (room: string, token: string, query = 'v=1') => `${rooms.url.replace('http', 'ws')}/parties/live/${room}?${query}&token=${token}`;

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

	it('closes a watcher without the protocol version, or with a malformed since, with 4400', async () => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', role: 'client' });
		for (const query of ['since=0', 'v=2', 'v=1&since=', 'v=1&since=-1']) {
			const outcome = await tryUpgrade(url('ferme-verte', token, query));
			if (!outcome.upgraded) throw new Error(`refused before the upgrade: ${query}`);
			const code = await closeFrame(outcome.socket);
			outcome.socket.terminate();
			expect({ query, code, frames: outcome.frames }).toEqual({ query, code: 4400, frames: [] });
		}
	});

	it('closes a watcher that sends anything with 4400', async () => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', role: 'client' });
		const outcome = await tryUpgrade(url('ferme-verte', token));
		if (!outcome.upgraded) throw new Error('refused');
		const closed = new Promise<number>((resolve) => outcome.socket.once('close', (code) => resolve(code)));
		outcome.socket.send('{"type":"publish"}');
		expect(await closed).toBe(4400);
		expect(outcome.socket.readyState).toBe(WebSocket.CLOSED);
	});
});
