import { describe, expect, it } from 'vitest';
import { signRoomToken } from '../shared/roomToken';
import { authorizeRoomRequest } from './roomAuth';
import { roomTokenSecret } from './roomSecret';

const SECRET = 'party-unit-secret-0123456789abcdefghij';
const url = (room: string, token?: string) => `http://rooms.test/ws/project/${room}${token ? `?token=${token}` : ''}`;

describe('authorizeRoomRequest', () => {
	it('admits a valid token for a granted room and returns its claims', async () => {
		const { token } = await signRoomToken({ sub: '2', name: 'Hery', role: 'designer', tenant: 'atelier-sud', projects: [7] }, SECRET);
		const auth = await authorizeRoomRequest(url('atelier-sud.7', token), 'project', 'atelier-sud.7', SECRET);
		expect(auth).toMatchObject({ ok: true, claims: { sub: '2', tenant: 'atelier-sud', projects: [7] } });
	});

	it('answers 401 for a missing or bad token and 403 for a room the token does not grant', async () => {
		const { token } = await signRoomToken({ sub: '2', name: 'Hery', role: 'designer', tenant: 'atelier-sud', projects: [7] }, SECRET);
		expect(await authorizeRoomRequest(url('atelier-sud.7'), 'project', 'atelier-sud.7', SECRET)).toMatchObject({ ok: false, status: 401 });
		expect(await authorizeRoomRequest(url('atelier-sud.7', 'x.y.z'), 'project', 'atelier-sud.7', SECRET)).toMatchObject({ ok: false, status: 401 });
		expect(await authorizeRoomRequest(url('atelier-sud.8', token), 'project', 'atelier-sud.8', SECRET)).toMatchObject({ ok: false, status: 403 });
	});

	it('refuses everyone when the room has no secret, rather than trusting unsigned tokens', async () => {
		const { token } = await signRoomToken({ sub: '2', name: 'Hery', role: 'admin', tenant: 'atelier-sud', projects: [7] }, SECRET);
		expect(await authorizeRoomRequest(url('atelier-sud.7', token), 'project', 'atelier-sud.7', undefined)).toMatchObject({ ok: false, status: 500 });
		expect(roomTokenSecret({})).toBeUndefined();
		expect(roomTokenSecret({ ROOM_TOKEN_SECRET: 'short' })).toBeUndefined();
		expect(roomTokenSecret({ ROOM_TOKEN_SECRET: SECRET })).toBe(SECRET);
	});
});
