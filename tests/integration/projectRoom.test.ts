import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { startRooms, type RoomsServer } from '../../scripts/lib/rooms';
import { mintRoomToken } from '../harness/roomTokens';
import { connectRoomClient } from '../harness/roomClient';
import type { RoomClient } from '../../web/src/lib/rooms/RoomClient';
import { tryUpgrade } from '../harness/rawSocket';
import { waitFor } from '../../scripts/lib/waitFor';
import { TEST_ROOM_TOKEN_SECRET } from '../harness/secrets';

// Real partykit dev (workerd) on a free port; real sockets. The rooms must never upgrade a connection
// whose token is missing, forged, expired, for another audience, another tenant or another project.
describe('project room over real partykit dev', () => {
	let rooms: RoomsServer;
	const clients: RoomClient[] = [];
	const wsUrl = (room: string, token?: string) =>
		`${rooms.url.replace('http', 'ws')}/parties/project/${room}?v=1${token === undefined ? '' : `&token=${encodeURIComponent(token)}`}`;

	beforeAll(async () => {
		rooms = await startRooms({ secret: TEST_ROOM_TOKEN_SECRET });
	}, 90_000);

	afterAll(async () => {
		for (const client of clients) client.destroy();
		await rooms?.stop();
	});

	it('refuses a connection without a token with 401 before the upgrade', async () => {
		const outcome = await tryUpgrade(wsUrl('ferme-verte.1'));
		expect(outcome).toMatchObject({ upgraded: false, status: 401 });
		if (!outcome.upgraded) expect(JSON.parse(outcome.body)).toEqual({ error: 'token missing' });
	});

	it('refuses a token signed with another secret (forged) with 401', async () => {
		const forged = await mintRoomToken({ tenant: 'ferme-verte', projects: [1] }, { secret: 'an-attacker-secret-0123456789abcdef-xyz' });
		expect(await tryUpgrade(wsUrl('ferme-verte.1', forged))).toMatchObject({ upgraded: false, status: 401 });
	});

	it('refuses a token whose payload was edited after signing with 401', async () => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', projects: [1] });
		const [header, payload, signature] = token.split('.') as [string, string, string];
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
		claims.projects = [1, 2, 3];
		const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
		expect(await tryUpgrade(wsUrl('ferme-verte.2', tampered))).toMatchObject({ upgraded: false, status: 401 });
	});

	it('refuses an expired token with 401', async () => {
		const expired = await mintRoomToken({ tenant: 'ferme-verte', projects: [1] }, { now: Date.now() - 20 * 60_000 });
		const outcome = await tryUpgrade(wsUrl('ferme-verte.1', expired));
		expect(outcome).toMatchObject({ upgraded: false, status: 401 });
		if (!outcome.upgraded) expect(outcome.body).toContain('expired');
	});

	it('refuses a token for another audience (e.g. a bknd token signed with the same secret) with 401', async () => {
		const other = await new SignJWT({ name: 'x', role: 'admin', tenant: 'ferme-verte', projects: [1] })
			.setProtectedHeader({ alg: 'HS256' })
			.setSubject('1')
			.setAudience('bknd')
			.setIssuedAt()
			.setExpirationTime('5m')
			.sign(new TextEncoder().encode(TEST_ROOM_TOKEN_SECRET));
		expect(await tryUpgrade(wsUrl('ferme-verte.1', other))).toMatchObject({ upgraded: false, status: 401 });
	});

	it("refuses another tenant's token with 403, even for the same project number", async () => {
		const token = await mintRoomToken({ tenant: 'atelier-sud', role: 'client', projects: [1] });
		const outcome = await tryUpgrade(wsUrl('ferme-verte.1', token));
		expect(outcome).toMatchObject({ upgraded: false, status: 403 });
	});

	it('refuses a project the token does not grant with 403', async () => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', role: 'partner', projects: [2] });
		expect(await tryUpgrade(wsUrl('ferme-verte.1', token))).toMatchObject({ upgraded: false, status: 403 });
	});

	it.each([
		['..', '..'],
		['../ escaping the tenant', 'ferme-verte.1%2F..%2F..%2Fatelier-sud.1'],
		['encoded dots', '%2E%2E'],
		['a tenant without project', 'ferme-verte'],
		['an empty project id', 'ferme-verte.'],
		['a leading-zero id', 'ferme-verte.01']
	])('refuses the malformed room id %s before the upgrade', async (_label, room) => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', projects: [1] });
		const outcome = await tryUpgrade(wsUrl(room, token));
		expect(outcome.upgraded).toBe(false);
		if (!outcome.upgraded) expect([400, 403, 404]).toContain(outcome.status);
	});

	it('refuses an empty room id', async () => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', projects: [1] });
		const outcome = await tryUpgrade(`${rooms.url.replace('http', 'ws')}/parties/project/?token=${token}`);
		expect(outcome.upgraded).toBe(false);
	});

	it('lets an allowed client sync, and two clients converge on concurrent edits', async () => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', projects: [1, 3] });
		const a = await connectRoomClient(rooms.url, 'ferme-verte.3', token);
		const b = await connectRoomClient(rooms.url, 'ferme-verte.3', await mintRoomToken({ tenant: 'ferme-verte', role: 'client', projects: [3] }));
		clients.push(a, b);
		a.docs.notes.getText('notes').insert(0, 'Alpha ');
		b.docs.notes.getText('notes').insert(0, 'Beta ');
		await waitFor(
			() => a.docs.notes.getText('notes').toString().length === 11 && a.docs.notes.getText('notes').toString() === b.docs.notes.getText('notes').toString(),
			{ message: 'both notes to converge' }
		);
		expect(a.docs.notes.getText('notes').toString()).toContain('Alpha');
		expect(a.docs.notes.getText('notes').toString()).toContain('Beta');
	});

	it('shares presence (awareness) between clients in one room', async () => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', projects: [4] });
		const a = await connectRoomClient(rooms.url, 'ferme-verte.4', token);
		const b = await connectRoomClient(rooms.url, 'ferme-verte.4', token);
		clients.push(a, b);
		a.setPresence({ typing: true });
		await waitFor(() => b.people().some((p) => p.user.name === 'Hery Rakoto' && p.fields.typing === true), {
			message: 'presence to reach the second client'
		});
	});

	it('shows someone who just joined to the others at once, before they set any presence field', async () => {
		// A new awareness state starts at clock 0, which y-protocols ignores from an unknown peer: without a
		// fresh clock on join, the others saw the newcomer only at the 15 s renewal (the page sets no field).
		const a = await connectRoomClient(rooms.url, 'ferme-verte.6', await mintRoomToken({ tenant: 'ferme-verte', projects: [6] }));
		clients.push(a);
		const b = await connectRoomClient(rooms.url, 'ferme-verte.6', await mintRoomToken({ tenant: 'ferme-verte', role: 'client', sub: '42', name: 'Fara Rasoa', projects: [6] }));
		clients.push(b);
		const seen = (client: typeof a, name: string) => client.people().some((p) => p.user.name === name);
		await waitFor(() => seen(a, 'Fara Rasoa') && seen(b, 'Hery Rakoto'), { timeout: 5_000, message: 'each to see the other within 5 s' });
	});

	it('survives text frames that made y-partykit allocate their value in bytes', async () => {
		const token = await mintRoomToken({ tenant: 'ferme-verte', projects: [5] });
		const outcome = await tryUpgrade(wsUrl('ferme-verte.5', token));
		if (!outcome.upgraded) throw new Error(`refused: ${outcome.status}`);
		outcome.socket.send('200000000');
		outcome.socket.send('y-pk-batch{"type":"start","id":"x","size":1,"count":1}');
		// The room must still serve the document to a new client afterwards.
		const client = await connectRoomClient(rooms.url, 'ferme-verte.5', token);
		clients.push(client);
		client.docs.notes.getText('notes').insert(0, 'still alive');
		const witness = await connectRoomClient(rooms.url, 'ferme-verte.5', token);
		clients.push(witness);
		await waitFor(() => witness.docs.notes.getText('notes').toString() === 'still alive', { message: 'the room to keep working' });
		outcome.socket.close();
	});

	it('keeps the document across a restart of partykit dev', async () => {
		const token = await mintRoomToken({ tenant: 'atelier-sud', projects: [9] });
		const writer = await connectRoomClient(rooms.url, 'atelier-sud.9', token);
		writer.docs.notes.getText('notes').insert(0, 'Palette validée le 12 mars');
		const reader = await connectRoomClient(rooms.url, 'atelier-sud.9', token);
		await waitFor(() => reader.docs.notes.getText('notes').toString() === 'Palette validée le 12 mars', { message: 'the edit to reach the server' });
		reader.destroy();
		writer.destroy();
		// Restart on the same state folder and port: only what reached Durable Object storage comes back.
		const { stateDir, port } = rooms;
		await rooms.stop();
		rooms = await startRooms({ stateDir, port, secret: TEST_ROOM_TOKEN_SECRET });
		const after = await connectRoomClient(rooms.url, 'atelier-sud.9', token);
		clients.push(after);
		expect(after.docs.notes.getText('notes').toString()).toBe('Palette validée le 12 mars');
	}, 120_000);
});
