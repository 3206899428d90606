/**
 * The WebSocket URL browsers open for a room: ROOMS_URL with its http(s) scheme turned into ws(s),
 * then `/parties/<party>/<room>` (PartyKit's routing).
 * @example roomSocketUrl('https://rooms.fata.plus', 'project', 'ferme-verte.12') // "wss://rooms.fata.plus/parties/project/ferme-verte.12"
 */
export function roomSocketUrl(roomsUrl: string, party: string, roomId: string): string {
	const base = new URL(roomsUrl);
	base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
	const prefix = base.pathname.replace(/\/+$/, '');
	return `${base.origin}${prefix}/parties/${encodeURIComponent(party)}/${encodeURIComponent(roomId)}`;
}
