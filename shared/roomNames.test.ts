import { describe, expect, it } from 'vitest';
import { parseLiveRoomId, parseProjectRoomId, parseRoomRef, projectRoomId } from './roomNames';

describe('room ids', () => {
	it('round-trips a project room id', () => {
		expect(projectRoomId('ferme-verte', 12)).toBe('ferme-verte.12');
		expect(parseProjectRoomId('ferme-verte.12')).toEqual({ tenant: 'ferme-verte', projectId: 12 });
	});

	it.each(['', '.', '..', '../x', 'ferme-verte', 'ferme-verte.', '.12', 'ferme-verte.12.3', 'ferme-verte.0', 'ferme-verte.012',
		'ferme-verte.-1', 'ferme-verte.1e3', 'Ferme-Verte.1', '-ferme.1', 'ferme-.1', 'fataplus.1', 'ferme verte.1', 'ferme-verte.1%2F..',
		'ferme-verte.9999999999999999'])('refuses the malformed project room id %j', (id) => {
		expect(parseProjectRoomId(id)).toBeNull();
	});

	it('tells live rooms from project rooms', () => {
		expect(parseRoomRef('atelier-sud')).toEqual({ party: 'live', tenant: 'atelier-sud' });
		expect(parseRoomRef('fataplus')).toEqual({ party: 'live', staff: true });
		expect(parseRoomRef('atelier-sud.4')).toEqual({ party: 'project', tenant: 'atelier-sud', projectId: 4 });
		expect(parseRoomRef('../atelier-sud')).toBeNull();
		expect(parseLiveRoomId('admin')).toBeNull();
		expect(parseLiveRoomId('')).toBeNull();
	});
});
