import { ROOMS_PATH_PREFIX } from '../../../../shared/roomNames';

/**
 * The WebSocket URL browsers open for a room: ROOMS_URL with its http(s) scheme turned into ws(s),
 * then `/ws/<party>/<room>` (the rooms worker's PartyServer routing).
 * @example roomSocketUrl('https://bknd.fata.plus', 'project', 'ferme-verte.12') // "wss://bknd.fata.plus/ws/project/ferme-verte.12"
 */
export function roomSocketUrl(roomsUrl: string, party: string, roomId: string): string {
	const base = new URL(roomsUrl);
	base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
	const prefix = base.pathname.replace(/\/+$/, '');
	return `${base.origin}${prefix}/${ROOMS_PATH_PREFIX}/${encodeURIComponent(party)}/${encodeURIComponent(roomId)}`;
}
