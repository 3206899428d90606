import ReconnectingWebSocket from 'partysocket/ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CLOSE } from '../../../../shared/closeCodes';
import {
	CHANNELS,
	channelName,
	PROTOCOL_VERSION,
	type ChannelName,
	type ErrorMessage,
	type PresenceUser,
	type ServerMessage,
	type WelcomeMessage
} from '../../../../shared/protocol';
import type { ClientCommand } from '../../../../shared/review/commands';
import { awarenessFrame, decodeFrame, syncStep2Frame, updateFrame } from '../../../../shared/roomFrames';
import { watchSocket, type Watchdog } from '../sockets/Watchdog';

/** A fresh room token, or why none can be had (401 signed out, 403 no longer allowed). */
export type TokenResult = { ok: true; token: string; expiresAt: number } | { ok: false; status: number; error: string };

export interface RoomClientOptions {
	/** `ws(s)://…/ws/project/<room>` as the token endpoint returned it. */
	url: string;
	/** Called on every (re)connect and before the token expires; must return a fresh token. */
	getToken: () => Promise<TokenResult>;
	/** A WebSocket implementation for Node (`ws`); browsers use their own. */
	WebSocket?: unknown;
	/** Renew this long before the token expires. */
	renewBeforeMs?: number;
	/** The heartbeat's timing (shared/heartbeat.ts by default); tests shorten it. */
	heartbeat?: { quietMs: number; answerMs: number };
}

export type RoomStatus =
	| { state: 'connecting' }
	| { state: 'live' }
	| { state: 'offline' }
	| { state: 'denied'; code: number; reason: string };

export type SaveState = 'idle' | 'saving' | 'saved' | 'error';

/** What the room answered to a command. */
export type CommandReply =
	| { ok: true; duplicate: boolean; created: Array<{ kind: string; id: string }> }
	| { ok: false; code: number; message: string };

interface PendingCommand {
	command: ClientCommand;
	resolve: (reply: CommandReply) => void;
}

type Listener = () => void;

/**
 * The browser's (and the tests') end of a project room: one socket carrying several Yjs documents,
 * presence and commands. It reconnects with a fresh token, renews the token on the open socket
 * before it expires, re-sends unacknowledged commands after a reconnect (the room drops duplicates
 * by commandId), and reports its status and whether everything is saved.
 */
export class RoomClient {
	readonly docs = {} as Record<ChannelName, Y.Doc>;
	readonly awareness: awarenessProtocol.Awareness;
	status: RoomStatus = { state: 'connecting' };
	save: SaveState = 'idle';
	welcome: WelcomeMessage | null = null;
	/** The last error the room sent that no command claimed (e.g. a refused write). */
	lastError: ErrorMessage | null = null;

	private readonly socket: ReconnectingWebSocket;
	private readonly watchdog: Watchdog;
	private readonly pending = new Map<string, PendingCommand>();
	private readonly listeners = new Set<Listener>();
	private readonly synced = new Set<ChannelName>();
	/** Documents that send their local edits (see newDoc). */
	private readonly sending = new WeakSet<Y.Doc>();
	private renewTimer: ReturnType<typeof setTimeout> | null = null;
	private lastSaveFailed = false;
	private destroyed = false;

	constructor(private readonly options: RoomClientOptions) {
		// Until the welcome says which documents are writable, each may be: local edits made meanwhile are kept.
		for (const name of Object.keys(CHANNELS) as ChannelName[]) this.docs[name] = this.newDoc(name, true);
		this.awareness = new awarenessProtocol.Awareness(this.docs.notes);
		this.awareness.on('update', this.onLocalAwareness);
		this.socket = new ReconnectingWebSocket(() => this.connectUrl(), undefined, {
			WebSocket: options.WebSocket,
			maxEnqueuedMessages: 0,
			minReconnectionDelay: 500,
			maxReconnectionDelay: 10_000,
			shouldReconnectOnClose: (event) => !this.isFinal(event.code)
		});
		this.socket.binaryType = 'arraybuffer';
		// A room that vanished without a close (network gone, server frozen) is noticed within 30 s and reconnected.
		this.watchdog = watchSocket(this.socket, { message: (data) => this.onMessage(data), close: (code, reason) => this.onClose(code, reason) }, options.heartbeat);
	}

	/** Whether every channel this socket reads has received the room's state. */
	get isSynced(): boolean {
		return this.welcome !== null && this.welcome.channels.every((c) => this.synced.has(c));
	}

	/** Calls `listener` on any change: status, save state, documents, presence. Returns the unsubscribe. */
	subscribe(listener: Listener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Sends a command; resolves with the room's ack or refusal (after a reconnect if need be). */
	command(command: ClientCommand): Promise<CommandReply> {
		return new Promise((resolve) => {
			this.pending.set(command.commandId, { command, resolve });
			this.setSave('saving');
			if (this.status.state === 'live') this.socket.send(JSON.stringify({ type: 'command', command }));
		});
	}

	/** Sets this user's presence fields (cursor, typing); the room adds who you are. */
	setPresence(fields: Record<string, unknown>): void {
		this.awareness.setLocalState({ ...(this.awareness.getLocalState() ?? {}), ...fields });
	}

	destroy(): void {
		this.destroyed = true;
		this.watchdog.stop();
		if (this.renewTimer) clearTimeout(this.renewTimer);
		awarenessProtocol.removeAwarenessStates(this.awareness, [this.awareness.clientID], 'destroy');
		this.awareness.destroy();
		this.socket.close(1000, 'bye');
		for (const doc of Object.values(this.docs)) doc.destroy();
		this.listeners.clear();
	}

	// ---- connection ----

	private async connectUrl(): Promise<string> {
		// A reconnection reads as offline until the room welcomes us again; only the first attempt is "connecting".
		if (this.status.state !== 'offline') this.setStatus({ state: 'connecting' });
		const token = await this.options.getToken();
		if (!token.ok) {
			if (token.status === 401 || token.status === 403) {
				// Refused: stop here instead of hammering the room with doomed upgrades.
				this.deny(token.status === 401 ? CLOSE.unauthorized : CLOSE.forbidden, token.error);
			} else {
				// The web app could not be reached (offline, 5xx): the socket retries with backoff.
				this.setStatus({ state: 'offline' });
			}
			throw new Error(token.error);
		}
		this.scheduleRenewal(token.expiresAt);
		const url = new URL(this.options.url);
		url.searchParams.set('token', token.token);
		url.searchParams.set('v', String(PROTOCOL_VERSION));
		return url.toString();
	}

	private isFinal(code: number): boolean {
		// 4401 is not final: the next attempt fetches a new token, and a refusal then ends it in deny().
		return this.destroyed || code === CLOSE.forbidden || code === CLOSE.badMessage || code === CLOSE.tooLarge || this.status.state === 'denied';
	}

	private onClose(code: number, reason: string) {
		this.welcome = null;
		this.synced.clear();
		if (this.destroyed) return;
		if (this.isFinal(code)) this.deny(code, reason);
		else this.setStatus({ state: 'offline' });
	}

	private deny(code: number, reason: string) {
		this.socket.close(code >= 4000 ? 1000 : code, reason);
		if (this.renewTimer) clearTimeout(this.renewTimer);
		this.setStatus({ state: 'denied', code, reason });
		for (const [id, pending] of this.pending) pending.resolve({ ok: false, code, message: reason }), this.pending.delete(id);
	}

	private scheduleRenewal(expiresAt: number) {
		if (this.renewTimer) clearTimeout(this.renewTimer);
		const delay = Math.max(1_000, expiresAt - Date.now() - (this.options.renewBeforeMs ?? 30_000));
		this.renewTimer = setTimeout(() => void this.renew(), delay);
	}

	/** Renews the token on the open socket, so a long session never drops for an expiring token. */
	private async renew() {
		if (this.destroyed || this.status.state === 'denied') return;
		const token = await this.options.getToken();
		if (!token.ok) {
			// Refused (e.g. the share was revoked): the room will close this socket when the old token expires.
			if (token.status === 401 || token.status === 403) this.deny(token.status === 401 ? CLOSE.unauthorized : CLOSE.forbidden, token.error);
			else this.renewTimer = setTimeout(() => void this.renew(), 5_000);
			return;
		}
		if (this.status.state === 'live') this.socket.send(JSON.stringify({ type: 'auth', token: token.token }));
		this.scheduleRenewal(token.expiresAt);
	}

	// ---- incoming ----

	private onMessage(data: unknown) {
		if (typeof data === 'string') return this.onText(data);
		if (data instanceof ArrayBuffer) return this.onBinary(new Uint8Array(data));
		if (ArrayBuffer.isView(data)) return this.onBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
	}

	private onText(text: string) {
		let message: ServerMessage;
		try {
			message = JSON.parse(text) as ServerMessage;
		} catch {
			return;
		}
		switch (message.type) {
			case 'welcome':
				this.onWelcome(message);
				break;
			case 'ack':
			case 'error': {
				const pending = message.commandId ? this.pending.get(message.commandId) : undefined;
				if (!pending) {
					if (message.type === 'error') (this.lastError = message), this.emit();
					return;
				}
				this.pending.delete(message.commandId!);
				if (message.type === 'ack') pending.resolve({ ok: true, duplicate: message.duplicate, created: message.created });
				else {
					this.lastSaveFailed = true;
					pending.resolve({ ok: false, code: message.code, message: message.message });
				}
				if (this.pending.size === 0) this.setSave(this.lastSaveFailed ? 'error' : 'saved'), (this.lastSaveFailed = false);
				break;
			}
			case 'auth-ok':
				break;
		}
	}

	private onWelcome(message: WelcomeMessage) {
		this.welcome = message;
		// Read-only documents start over on every connection: the room sends their whole state, and a
		// copy that saw an update the room lost in a crash must not linger.
		for (const name of Object.keys(CHANNELS) as ChannelName[]) {
			const writable = message.writable.includes(name);
			// A writable document keeps its local edits across reconnects, unless it was made read-only before.
			if ((writable || name === 'notes') && this.sending.has(this.docs[name])) continue;
			this.docs[name].destroy();
			this.docs[name] = this.newDoc(name, writable || name === 'notes');
		}
		this.setStatus({ state: 'live' });
		// Set again, not just resent: that moves the awareness clock on. y-protocols ignores a state whose clock
		// is not newer than the last one seen from that id, so a newcomer's first state (clock 0) or a state resent
		// after a reconnect would stay invisible to the others until the 15 s renewal. Setting it sends it (onLocalAwareness).
		const local = this.awareness.getLocalState();
		if (local) this.awareness.setLocalState(local);
		// Commands the room never acknowledged go again; it recognises the ones it already applied.
		for (const { command } of this.pending.values()) this.socket.send(JSON.stringify({ type: 'command', command }));
	}

	private onBinary(data: Uint8Array) {
		const frame = decodeFrame(data);
		if (frame.kind === 'malformed') return;
		const name = channelName(frame.channel);
		if (!name) return;
		switch (frame.kind) {
			case 'awareness':
				awarenessProtocol.applyAwarenessUpdate(this.awareness, frame.update, this);
				return;
			case 'syncStep1':
				// The room asks for what it lacks of a document this socket writes (local edits made while offline).
				this.socket.send(syncStep2Frame(frame.channel, Y.encodeStateAsUpdate(this.docs[name], frame.stateVector)));
				return;
			case 'syncStep2':
			case 'update':
				Y.applyUpdate(this.docs[name], frame.update, this);
				if (frame.kind === 'syncStep2' && !this.synced.has(name)) {
					this.synced.add(name);
					this.emit();
				}
				return;
		}
	}

	// ---- outgoing ----

	/**
	 * A document for `name`. Only a document this socket may write listens to `update`: Yjs encodes every
	 * transaction again for `update` listeners, which for a 5 MB review document loaded at connect cost as
	 * much as applying it. Read-only documents only signal that they changed.
	 */
	private newDoc(name: ChannelName, mayWrite: boolean): Y.Doc {
		const doc = new Y.Doc();
		if (!mayWrite) {
			doc.on('afterTransaction', (transaction: Y.Transaction) => {
				if (transaction.changed.size > 0 || transaction.deleteSet.clients.size > 0) this.emit();
			});
			return doc;
		}
		this.sending.add(doc);
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			// Only local edits of documents this socket may write go out; the room's own updates come back in.
			if (origin !== this && this.welcome?.writable.includes(name) && this.status.state === 'live') {
				this.socket.send(updateFrame(CHANNELS[name], update));
			}
			this.emit();
		});
		return doc;
	}

	private readonly onLocalAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
		if (origin !== this) {
			const mine = [...added, ...updated, ...removed].filter((id) => id === this.awareness.clientID);
			if (mine.length > 0 && this.status.state === 'live') this.sendAwareness(mine);
		}
		this.emit();
	};

	private sendAwareness(ids: number[]) {
		this.socket.send(awarenessFrame(CHANNELS.notes, awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)));
	}

	/** Presence of everyone here (including you), as the room stamped it. */
	people(): Array<{ clientId: number; user: PresenceUser; fields: Record<string, unknown> }> {
		const people: Array<{ clientId: number; user: PresenceUser; fields: Record<string, unknown> }> = [];
		for (const [clientId, state] of this.awareness.getStates()) {
			const user = (state as { user?: PresenceUser }).user ?? (clientId === this.awareness.clientID ? this.welcome?.user : undefined);
			if (user) people.push({ clientId, user, fields: state as Record<string, unknown> });
		}
		return people;
	}

	private setStatus(status: RoomStatus) {
		this.status = status;
		this.emit();
	}

	private setSave(save: SaveState) {
		this.save = save;
		this.emit();
	}

	private emit() {
		for (const listener of this.listeners) listener();
	}
}
