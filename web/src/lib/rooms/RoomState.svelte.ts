import type * as Y from 'yjs';
import type { ChannelName, ErrorMessage, PresenceUser } from '$shared/protocol';
import { CLOSE } from '$shared/closeCodes';
import type { ClientCommand } from '$shared/review';
import type { RoomPerson } from '$lib/review/cursors';
import { peersFromPeople, type Peer } from './presence';
import { t } from '$lib/i18n/current';
import { RoomClient, type CommandReply, type SaveState } from './RoomClient';
import { RoomErrorNotice } from './roomErrorNotice';
import { deniedReason, type ConnectionState, type DeniedReason } from './roomStatus';
import { createRoomTokenSource, isDenial, parseRoomUrl } from './roomToken';

/** The refusal code of a command sent before there is a room client at all (not a wire code). */
export const NOT_CONNECTED = 0;

/** When the first token cannot be fetched (web app or network down), ask again this soon. */
const START_RETRY_MS = 3_000;

/** Documents whose changes re-render the review (the notes are bound to their textarea directly). */
const WATCHED: ChannelName[] = ['client', 'internal', 'versionNotesClient', 'versionNotesInternal'];

export interface RoomStateOptions {
	/**
	 * An error the room sent that no command claimed (e.g. a refused write): show it. Its `message` is already
	 * the text for the user (translated for the documented refusals), and a repeat of the same refusal is not sent again for 10 s.
	 */
	onRoomError?: (error: ErrorMessage) => void;
}

/**
 * Reactive view of one project room for components, on top of `RoomClient`: connection state and why it
 * was denied, save state, who you are and what you may write, who is here, and a counter that moves when
 * the synced review documents change. Values survive a reconnection (the last welcome, the last synced
 * view), so the page does not flash empty while the socket comes back.
 */
export class RoomState {
	state = $state<ConnectionState>('connecting');
	reason = $state<DeniedReason | null>(null);
	save = $state<SaveState>('idle');
	/** Who the room says you are; `null` until the first welcome. */
	me = $state.raw<PresenceUser | null>(null);
	channels = $state.raw<ChannelName[]>([]);
	writable = $state.raw<ChannelName[]>([]);
	/** Everyone here, one entry per user, yourself first. */
	peers = $state.raw<Peer[]>([]);
	/** Every connection's presence (for cursors). */
	people = $state.raw<RoomPerson[]>([]);
	selfClientId = $state(0);
	/** Every channel was loaded from the room at least once. */
	synced = $state(false);
	/** Moves when the synced review or version-notes documents change: read it to recompute from `client.docs`. */
	docsVersion = $state(0);
	client = $state.raw<RoomClient | null>(null);
	/** The shared project notes (`Y.Text` named `notes`); its document is never replaced. */
	notes = $state.raw<Y.Text | null>(null);

	/** Joins `roomId` (`<tenant>.<projectId>`); returns the function that leaves (use it as an `$effect` cleanup). */
	connect(roomId: string, options: RoomStateOptions = {}): () => void {
		this.reset();
		const tokens = createRoomTokenSource(roomId);
		let destroyed = false;
		let client: RoomClient | null = null;
		let retry: ReturnType<typeof setTimeout> | null = null;
		let unsubscribe: (() => void) | null = null;
		let wasLive = false;
		let wasSynced = false;
		let dirty = true;
		let lastError: ErrorMessage | null = null;
		const notices = new RoomErrorNotice((key) => t(key));
		let peopleKey = '';
		const watched = new WeakSet<Y.Doc>();

		// Only a fully synced state is shown: a fresh replacement document is empty until the room fills it.
		const publish = (c: RoomClient) => {
			const synced = c.isSynced;
			if (!destroyed && synced && (dirty || !wasSynced)) {
				dirty = false;
				this.docsVersion++;
			}
			wasSynced = synced;
		};

		const update = (c: RoomClient) => {
			if (destroyed) return;
			const status = c.status;
			if (status.state === 'live') wasLive = true;
			this.state = status.state;
			this.reason = status.state === 'denied' ? deniedReason(status, tokens.denial()?.status ?? null, wasLive) : null;
			this.save = c.save;
			const welcome = c.welcome;
			if (welcome) {
				if (!sameUser(this.me, welcome.user)) this.me = welcome.user;
				if (this.channels.join() !== welcome.channels.join()) this.channels = welcome.channels;
				if (this.writable.join() !== welcome.writable.join()) this.writable = welcome.writable;
			}
			const people = c.people();
			const key = JSON.stringify(people);
			if (key !== peopleKey) {
				peopleKey = key;
				this.people = people;
				this.peers = peersFromPeople(people, c.awareness.clientID);
			}
			// Read-only documents are replaced on each welcome: watch the new ones. RoomClient's own listener
			// on a document runs before ours, so an update also publishes itself rather than wait for the next emit.
			for (const name of WATCHED) {
				const doc = c.docs[name];
				if (!watched.has(doc)) {
					watched.add(doc);
					dirty = true;
					// Not 'update': Yjs re-encodes every transaction for 'update' listeners (RoomClient.newDoc).
					doc.on('afterTransaction', (transaction: Y.Transaction) => {
						if (transaction.changed.size === 0 && transaction.deleteSet.clients.size === 0) return;
						dirty = true;
						publish(c);
					});
				}
			}
			publish(c);
			if (c.isSynced && !this.synced) this.synced = true;
			if (c.lastError && c.lastError !== lastError) {
				lastError = c.lastError;
				const text = notices.text(c.lastError, Date.now());
				if (text !== null) options.onRoomError?.({ ...c.lastError, message: text });
			}
		};

		const start = async () => {
			const first = await tokens.start();
			if (destroyed) return;
			if (!first.ok) {
				if (isDenial(first)) {
					this.state = 'denied';
					this.reason = deniedReason({ code: first.status === 401 ? CLOSE.unauthorized : CLOSE.forbidden, reason: first.error }, first.status, false);
					return;
				}
				this.state = 'offline';
				retry = setTimeout(() => void start(), START_RETRY_MS);
				return;
			}
			if (!parseRoomUrl(first.ticket.url)) {
				console.error('[room] unexpected room url', first.ticket.url);
				this.state = 'offline';
				return;
			}
			client = new RoomClient({ url: first.ticket.url, getToken: () => tokens.getToken() });
			this.client = client;
			this.selfClientId = client.awareness.clientID;
			this.notes = client.docs.notes.getText('notes');
			const c = client;
			unsubscribe = client.subscribe(() => update(c));
			update(client);
		};
		void start();

		return () => {
			destroyed = true;
			if (retry) clearTimeout(retry);
			tokens.stop();
			unsubscribe?.();
			client?.destroy();
			this.client = null;
			this.notes = null;
		};
	}

	/** Sends a command to the room; resolves with its ack or refusal (`NOT_CONNECTED` before the room client exists). */
	command(command: ClientCommand): Promise<CommandReply> {
		if (!this.client) return Promise.resolve({ ok: false, code: NOT_CONNECTED, message: 'not connected to the room' });
		return this.client.command(command);
	}

	/** Sets this user's presence fields (cursor, typing). */
	setPresence(fields: Record<string, unknown>): void {
		this.client?.setPresence(fields);
	}

	private reset() {
		this.state = 'connecting';
		this.reason = null;
		this.save = 'idle';
		this.peers = [];
		this.people = [];
		this.synced = false;
	}
}

function sameUser(a: PresenceUser | null, b: PresenceUser): boolean {
	return !!a && a.userId === b.userId && a.name === b.name && a.role === b.role && a.color === b.color;
}
