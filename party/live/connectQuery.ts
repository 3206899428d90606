import { LIVE_PROTOCOL_VERSION, sinceSchema } from '../../shared/live/wire';

export type ConnectQuery = { ok: true; since: number | null } | { ok: false; error: string };

/**
 * The `v` (protocol version) and `since` of a watcher's connect URL. LiveRoom checks them before the upgrade
 * (a 400 at once: a socket closed during onConnect reaches a client only ~10 s later under partykit dev) and
 * again inside the room.
 */
export function readConnectQuery(url: string): ConnectQuery {
	const params = new URL(url).searchParams;
	if (params.get('v') !== String(LIVE_PROTOCOL_VERSION)) return { ok: false, error: `protocol ${LIVE_PROTOCOL_VERSION} required: reload the page` };
	const since = params.get('since');
	if (since === null) return { ok: true, since: null };
	const parsed = sinceSchema.safeParse(since);
	return parsed.success ? { ok: true, since: parsed.data } : { ok: false, error: 'since must be a sequence number' };
}
