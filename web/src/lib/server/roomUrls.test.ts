import { describe, expect, it } from 'vitest';
import { roomSocketUrl } from './roomUrls';

describe('roomSocketUrl', () => {
	it('ROOMURL-1: switches to the WebSocket scheme and appends the rooms path (/ws/<party>/<room>)', () => {
		expect(roomSocketUrl('http://localhost:1999', 'project', 'ferme-verte.12')).toBe('ws://localhost:1999/ws/project/ferme-verte.12');
		expect(roomSocketUrl('https://rooms.fata.plus', 'live', 'fataplus')).toBe('wss://rooms.fata.plus/ws/live/fataplus');
		expect(roomSocketUrl('https://example.com/base/', 'project', 'a.1')).toBe('wss://example.com/base/ws/project/a.1');
	});
});
