import { describe, expect, it } from 'vitest';
import { admitToRoom } from './roomAccess';
import type { RoomTokenClaims } from './roomToken';

const claims = (extra: Partial<RoomTokenClaims> = {}): RoomTokenClaims => ({
	sub: '1', name: 'n', role: 'client', tenant: 'ferme-verte', projects: [3, 4], aud: 'fataplus-rooms', iat: 0, exp: 1, ...extra
});

describe('admitToRoom', () => {
	it.each([
		['ROOM-1 a granted project of the token tenant', claims(), 'project', 'ferme-verte.3', true],
		['ROOM-1 a project not in the token', claims(), 'project', 'ferme-verte.5', false],
		['ROOM-2 the same project number in another tenant', claims(), 'project', 'atelier-sud.3', false],
		['ROOM-2 a malformed project room', claims(), 'project', 'ferme-verte.3/../4', false],
		['ROOM-2 a tenant id sent to the project party', claims(), 'project', 'ferme-verte', false],
		['ROOM-3 the live room of the token tenant', claims(), 'live', 'ferme-verte', true],
		['ROOM-3 the live room of another tenant', claims(), 'live', 'atelier-sud', false],
		['ROOM-4 the staff room for a client', claims({ tenant: 'fataplus' }), 'live', 'fataplus', false],
		['ROOM-4 the staff room for a designer', claims({ role: 'designer', tenant: 'fataplus' }), 'live', 'fataplus', true],
		['ROOM-4 the staff room with a tenant token', claims({ role: 'admin' }), 'live', 'fataplus', false]
	] as const)('%s', (_rule, c, party, room, admitted) => {
		expect(admitToRoom(c, party, room).ok).toBe(admitted);
	});
});
