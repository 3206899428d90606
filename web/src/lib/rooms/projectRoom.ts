import YPartyKitProvider from 'y-partykit/provider';
import { removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CLOSE } from '../../../../shared/closeCodes';
import type { Presence } from '../../../../shared/presence';
import { peersFromAwareness, type Peer } from './presence';
import { createTicketKeeper, isDenial, parseRoomUrl, withToken, type TicketResult } from './roomToken';

/** What the status pill shows (`data-state` of `room-status`). */
export type RoomStatus = 'connecting' | 'live' | 'offline' | 'denied';
/** Why a room stopped for good: no access (4403 / 403), a token the room refused (4401), or signed out (401). */
export type DeniedReason = 'forbidden' | 'unauthorized' | 'signedOut';

export interface ProjectRoomEvents {
	onStatus(status: RoomStatus, reason: DeniedReason | null): void;
	onPeers(peers: Peer[]): void;
	/** The document has been loaded from the room at least once. */
	onSynced(): void;
}

export interface ProjectRoomHandle {
	/** The shared notes (`Y.Text` named `notes`). */
	notes: Y.Text;
	destroy(): void;
}

/** After a refused or failed connection attempt, ask the token endpoint again at most this often. */
const RECHECK_INTERVAL_MS = 5_000;
/** When the first token cannot be fetched (server down), try again this soon. */
const START_RETRY_MS = 3_000;

/**
 * Joins the project room `roomId` (`<tenant>.<projectId>`): fetches a room token from the web app,
 * opens the y-partykit connection with it, publishes `me` as presence and reports status and peers.
 */
export function joinProjectRoom(roomId: string, me: Presence, events: ProjectRoomEvents): ProjectRoomHandle {
	const doc = new Y.Doc();
	const notes = doc.getText('notes');
	let provider: YPartyKitProvider | null = null;
	let destroyed = false;
	let denied = false;
	let failedAttempts = 0;
	let everSynced = false;
	let lastRecheck = 0;
	let startTimer: ReturnType<typeof setTimeout> | null = null;

	const setStatus = (status: RoomStatus, reason: DeniedReason | null = null) => {
		if (!destroyed && (!denied || status === 'denied')) events.onStatus(status, reason);
	};

	const deny = (reason: DeniedReason) => {
		if (denied) return;
		denied = true;
		keeper.stop();
		// Stops the provider's own reconnect loop (its pending retry sees shouldConnect === false).
		provider?.disconnect();
		setStatus('denied', reason);
	};

	const keeper = createTicketKeeper(roomId, {
		onDenied: ({ status }) => deny(status === 401 ? 'signedOut' : 'forbidden')
	});

	/** A failed attempt may be a refused upgrade (HTTP 401/403 reach the browser only as a failed socket): ask the endpoint. */
	const recheckAccess = () => {
		const now = Date.now();
		if (now - lastRecheck < RECHECK_INTERVAL_MS) return;
		lastRecheck = now;
		void keeper.refresh();
	};

	const connect = (first: TicketResult & { ok: true }) => {
		const endpoint = parseRoomUrl(first.ticket.url);
		if (!endpoint) {
			console.error('[room] unexpected room url', first.ticket.url);
			setStatus('offline');
			return;
		}
		const room = new YPartyKitProvider(endpoint.host, endpoint.room, doc, {
			party: endpoint.party,
			protocol: endpoint.protocol,
			// Called on connect(); never throws (a stale token just gets refused and rechecked).
			params: async () => {
				const result = await keeper.fresh();
				return { token: result.ok ? result.ticket.token : (keeper.current()?.token ?? first.ticket.token) };
			}
		});
		provider = room;
		room.awareness.setLocalStateField('user', me);

		room.on('status', ({ status }: { status: 'connecting' | 'connected' | 'disconnected' }) => {
			if (status === 'connected') failedAttempts = 0;
			// "Live" waits for the first sync (see 'synced'); before that a connected socket still reads as connecting.
			if (status === 'disconnected') setStatus('offline');
			else if (status === 'connecting') setStatus(failedAttempts > 0 || everSynced ? 'offline' : 'connecting');
		});
		room.on('synced', (synced: boolean) => {
			if (!synced) return;
			everSynced = true;
			events.onSynced();
			setStatus('live');
		});
		room.on('connection-close', (event: CloseEvent | null) => {
			if (event?.code === CLOSE.forbidden) return deny('forbidden');
			if (event?.code === CLOSE.unauthorized) return deny('unauthorized');
			if (!room.wsconnected) {
				failedAttempts++;
				recheckAccess();
			}
			// y-partykit 0.0.33 reconnects by itself with `room.url` as it stands and does not call
			// `params` again; put the freshest token in the URL before its retry fires.
			const ticket = keeper.current();
			if (ticket) room.url = withToken(room.url, ticket.token);
		});
		const publishPeers = () => events.onPeers(peersFromAwareness(room.awareness.getStates(), doc.clientID));
		room.awareness.on('change', publishPeers);
		publishPeers();
	};

	const start = async () => {
		setStatus('connecting');
		const first = await keeper.refresh();
		if (destroyed || denied) return;
		if (first.ok) return connect(first);
		if (isDenial(first)) return; // onDenied already told the user.
		setStatus('offline');
		startTimer = setTimeout(() => void start(), START_RETRY_MS);
	};
	void start();

	return {
		notes,
		destroy() {
			destroyed = true;
			keeper.stop();
			if (startTimer) clearTimeout(startTimer);
			if (provider) {
				// Tell the others right away that we left, rather than after their awareness timeout.
				removeAwarenessStates(provider.awareness, [doc.clientID], 'leave');
				provider.destroy();
			}
			doc.destroy();
		}
	};
}
