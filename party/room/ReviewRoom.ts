import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { applyCommand, migrateReviewDoc, pruneAppliedCommands, readReview, type Actor, type CommandResult, type CreatedRef } from '../../shared/review';
import type { ClientCommand } from '../../shared/review/commands';
import { CLOSE, CLOSE_REASON } from '../../shared/closeCodes';
import { presenceColor } from '../../shared/presence';
import {
	CHANNELS,
	channelName,
	DOC_LIMITS,
	PROTOCOL_VERSION,
	WIRE_LIMITS,
	clientMessageSchema,
	type ChannelName,
	type ErrorCode,
	type PresenceUser,
	type ServerMessage
} from '../../shared/protocol';
import type { RoomTokenClaims } from '../../shared/roomToken';
import { reviewActivity, type ReviewActivity } from '../live/reviewActivity';
import { CHANNEL_ORDER, channelAccess, type ChannelAccess } from './channelAccess';
import { PresenceRelay } from './PresenceRelay';
import { PartnerRevocations } from './PartnerRevocations';
import { FAILURE_CODES } from './roomErrors';
import type { RoomStore } from './RoomStore';
import type { SocketLike } from './SocketLike';
import { DocCap } from './DocCap';
import { awarenessFrame, decodeFrame, stateVectorFrame, syncStep2Frame, updateFrame } from '../../shared/roomFrames';
import { classifyUpdate, diffFor } from './syncFrames';
import { TokenBucket } from './TokenBucket';
import { utf8Length } from '../../shared/utf8Length';
import { HEARTBEAT } from '../../shared/heartbeat';

/** A connection as the room knows it; the object itself is the key that origins and presence refer to. */
export interface RoomConnection {
	readonly socket: SocketLike;
	claims: RoomTokenClaims;
	actor: Actor;
	user: PresenceUser;
	access: ChannelAccess;
	/** Text messages and sync requests (WIRE_LIMITS.commandsPerSecond). */
	readonly bucket: TokenBucket;
	/** Bytes of Yjs updates (WIRE_LIMITS.yjsBytesPerSecond). */
	readonly yjsBytes: TokenBucket;
	/** Awareness frames (WIRE_LIMITS.awarenessPerSecond). */
	readonly presenceFrames: TokenBucket;
}

export interface ReviewRoomOptions {
	/** The project room id, `<tenant>.<projectId>`. */
	roomId: string;
	projectId: number;
	store: RoomStore;
	/** Verifies a renewed token for this room (the same check as at connect). */
	verifyToken: (token: string) => Promise<{ ok: true; claims: RoomTokenClaims } | { ok: false; status: number; error: string }>;
	/** Sustained commands per second per connection; the protocol's limit unless a benchmark lifts it. */
	commandsPerSecond?: number;
	/**
	 * Told of each applied command that dashboards show (party/live/reviewActivity.ts), once its writes are
	 * durable and before its ack goes out; never for a duplicate. The project room publishes it to the live rooms.
	 */
	onActivity?: (activity: ReviewActivity) => void;
	now?: () => number;
	newId?: () => string;
	log?: (message: string, error?: unknown) => void;
}

/** Outcome of a command for its sender; `code` mirrors HTTP (see roomErrors.ts). */
export type CommandOutcome =
	| { ok: true; duplicate: boolean; created: Array<{ kind: string; id: string }> }
	| { ok: false; code: ErrorCode; message: string };

/** Queued command effects are broadcast at once past this many updates or bytes (see onDocUpdate). */
const BROADCAST_BATCH = { updates: 128, bytes: 64 * 1024 };
const PERSISTED: ChannelName[] = CHANNEL_ORDER;
/**
 * The store id of the review's ledger of applied commands (shared/review/ledger.ts): persisted like the
 * channels' documents but not a channel, so never sent to any connection.
 */
const LEDGER_DOC_ID = 'ledger';
/** Applied-command records older than this are pruned on load: far beyond any client's retry window. */
const LEDGER_KEEP_MS = 24 * 60 * 60 * 1000;
/** The documents peers write through Yjs, with their size cap (DOC_LIMITS) and how an error names them. */
const CAPPED: Partial<Record<ChannelName, { bytes: number; label: string }>> = {
	notes: { bytes: DOC_LIMITS.notesBytes, label: 'the shared notes are' },
	versionNotesClient: { bytes: DOC_LIMITS.versionNotesBytes, label: 'the version notes are' },
	versionNotesInternal: { bytes: DOC_LIMITS.versionNotesBytes, label: 'the internal version notes are' }
};
/** When a sender stays over a rate limit long enough to be closed (TokenBucket.overLimit). */
const OVER_LIMIT = { windowMs: WIRE_LIMITS.overLimitWindowMs, gapMs: WIRE_LIMITS.overLimitGapMs, maxRefusals: WIRE_LIMITS.overLimitRefusals };

/**
 * A project room: its documents, the people connected, commands and presence. Knows nothing of
 * PartyServer: ProjectRoom.ts authenticates and forwards sockets here. Every entry point catches its
 * own errors so one bad message never takes the room down for others.
 */
export class ReviewRoom {
	readonly docs: Record<ChannelName, Y.Doc>;
	/** Server-side only: which commands were applied, so retries are answered, not applied twice. */
	readonly ledger = new Y.Doc({ gc: true });
	private readonly connections = new Set<RoomConnection>();
	private readonly presence = new PresenceRelay();
	/** Partner agencies whose share of this project was revoked: their older tokens are refused. */
	private readonly revocations = new PartnerRevocations();
	/** Each document's full state, and the frame that sends it to a joiner, until the document changes. */
	private readonly fullState = new Map<ChannelName, { state: Uint8Array; frame?: Uint8Array }>();
	private readonly caps = new Map<ChannelName, DocCap>();
	/** Command effects not yet broadcast (see onDocUpdate). */
	private outgoing = new Map<ChannelName, Uint8Array[]>();
	private outgoingCount = 0;
	private outgoingBytes = 0;
	private flushTimer: ReturnType<typeof setTimeout> | null = null;
	/** Writes started while a command runs, so its ack waits for exactly those. */
	private collecting: Promise<void>[] | null = null;
	private lastWrite: Promise<void> = Promise.resolve();
	private readonly now: () => number;
	private readonly newId: () => string;
	private readonly log: (message: string, error?: unknown) => void;
	private readonly rate: number;

	private constructor(private readonly options: ReviewRoomOptions) {
		this.now = options.now ?? Date.now;
		this.rate = options.commandsPerSecond ?? WIRE_LIMITS.commandsPerSecond;
		this.newId = options.newId ?? (() => crypto.randomUUID().replaceAll('-', '').slice(0, 20));
		this.log = options.log ?? ((message, error) => console.error(`[room ${options.roomId}] ${message}`, error ?? ''));
		this.docs = Object.fromEntries(PERSISTED.map((name) => [name, new Y.Doc({ gc: true })])) as Record<ChannelName, Y.Doc>;
		this.presence.awareness.on('update', this.onPresence);
		for (const [name, cap] of Object.entries(CAPPED) as Array<[ChannelName, { bytes: number }]>) {
			this.caps.set(name, new DocCap(cap.bytes, () => this.stateOf(name).byteLength, this.now));
		}
	}

	/** Loads every document from storage, then migrates old review documents (the migration is persisted like any write). */
	static async load(options: ReviewRoomOptions): Promise<ReviewRoom> {
		const room = new ReviewRoom(options);
		await Promise.all([...PERSISTED.map((name) => options.store.load(name, room.docs[name])), options.store.load(LEDGER_DOC_ID, room.ledger)]);
		for (const name of PERSISTED) room.docs[name].on('update', (update: Uint8Array, origin: unknown) => room.onDocUpdate(name, update, origin));
		room.ledger.on('update', (update: Uint8Array) => room.persist(LEDGER_DOC_ID, update));
		for (const lane of ['client', 'internal'] as const) {
			const migration = migrateReviewDoc(room.docs[lane], room.ledger);
			if (!migration.ok) room.log(`review document ${lane} could not be migrated: ${migration.message}`);
		}
		pruneAppliedCommands(room.ledger, new Date(room.now() - LEDGER_KEEP_MS).toISOString());
		await room.lastWrite;
		return room;
	}

	get size(): number {
		return this.connections.size;
	}

	// ---- connections ----

	/** A verified socket joins: it gets its identity, the documents it may read, and everyone's presence. */
	connect(socket: SocketLike, claims: RoomTokenClaims): RoomConnection {
		const actor = this.actorOf(claims);
		const connection: RoomConnection = {
			socket,
			claims,
			actor,
			user: { userId: actor.userId, name: actor.name, role: actor.role, color: presenceColor(actor.userId) },
			access: channelAccess(actor),
			bucket: new TokenBucket(this.rate, Math.max(WIRE_LIMITS.commandBurst, this.rate * 2), this.now(), OVER_LIMIT),
			yjsBytes: new TokenBucket(WIRE_LIMITS.yjsBytesPerSecond, WIRE_LIMITS.yjsBurstBytes, this.now()),
			presenceFrames: new TokenBucket(WIRE_LIMITS.awarenessPerSecond, WIRE_LIMITS.awarenessBurst, this.now(), OVER_LIMIT)
		};
		// Effects still queued go to those already here: the newcomer gets them inside the full state below.
		this.flushBroadcasts();
		this.connections.add(connection);
		this.send(connection, {
			type: 'welcome',
			protocol: PROTOCOL_VERSION,
			user: connection.user,
			channels: CHANNEL_ORDER.filter((c) => connection.access.readable.has(c)),
			writable: CHANNEL_ORDER.filter((c) => connection.access.writable.has(c)),
			expiresAt: claims.exp * 1000
		});
		for (const name of CHANNEL_ORDER) {
			if (!connection.access.readable.has(name)) continue;
			socket.send(this.fullFrameOf(name));
			if (connection.access.writable.has(name)) socket.send(stateVectorFrame(CHANNELS[name], this.docs[name]));
		}
		const presence = this.presence.snapshot();
		if (presence) socket.send(awarenessFrame(CHANNELS.notes, presence));
		return connection;
	}

	disconnect(connection: RoomConnection): void {
		if (!this.connections.delete(connection)) return;
		this.presence.drop(connection);
	}

	/** Closes connections whose token expired (they did not renew it in time, e.g. their access was revoked). */
	expire(): void {
		const now = this.now();
		for (const connection of this.connections) {
			if (connection.claims.exp * 1000 > now) continue;
			this.disconnect(connection);
			connection.socket.close(CLOSE.unauthorized, CLOSE_REASON.tokenExpired);
		}
	}

	/**
	 * A partner agency lost its share of this project at `at` (Unix ms; `partnerId` null: every agency): closes
	 * its sockets whose token was issued by then with 4403, and refuses such tokens from now on (isRevoked).
	 * Staff, clients and other agencies are untouched, and so is a socket whose token was issued after `at`
	 * (the share was granted again), so a repeated or late notice is harmless. Returns how many sockets closed.
	 */
	revokePartner(partnerId: number | null, at: number): number {
		this.revocations.record(partnerId, at);
		let closed = 0;
		for (const connection of this.connections) {
			if (!PartnerRevocations.applies(partnerId, at, connection.claims)) continue;
			this.kick(connection, CLOSE.forbidden, CLOSE_REASON.accessRevoked);
			closed++;
		}
		return closed;
	}

	/** Whether a token was issued before a revocation that applies to it: connect, renewals and HTTP refuse it (403). */
	isRevoked(claims: RoomTokenClaims): boolean {
		return this.revocations.refuses(claims);
	}

	// ---- messages ----

	/** Any frame from a connection. Size is checked here too, so no caller can forget it. */
	async message(connection: RoomConnection, data: string | ArrayBuffer | ArrayBufferView): Promise<void> {
		if (!this.connections.has(connection)) return;
		try {
			// Text is measured in UTF-8 bytes, as it travelled: 'é' is one UTF-16 unit but two bytes. A unit is 1 to 3
			// bytes, so only a text between a third of the limit and the limit needs counting.
			const size = typeof data === 'string' ? (data.length * 3 <= WIRE_LIMITS.frameBytes ? data.length : utf8Length(data)) : data.byteLength;
			if (size > WIRE_LIMITS.frameBytes) return this.kick(connection, CLOSE.tooLarge, `message over ${WIRE_LIMITS.frameBytes} bytes`);
			if (typeof data === 'string') await this.text(connection, data);
			else this.binary(connection, data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
		} catch (error) {
			this.log('message handler failed', error);
			this.kick(connection, CLOSE.internalError, CLOSE_REASON.internalError);
		}
	}

	private async text(connection: RoomConnection, text: string): Promise<void> {
		// Every text message counts, malformed ones and renewals too: each costs a parse and an answer.
		const allowed = this.takeMessage(connection);
		if (allowed === null) return;
		if (text === HEARTBEAT.ping) return allowed ? connection.socket.send(HEARTBEAT.pong) : this.tooMany(connection);
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			return allowed ? this.error(connection, 4400, 'message is not JSON') : this.tooMany(connection);
		}
		// A refused command still names its commandId, so the sender can retry it later.
		if (!allowed) return this.tooMany(connection, commandIdOf(json));
		const parsed = clientMessageSchema.safeParse(json);
		if (!parsed.success) {
			const commandId = commandIdOf(json);
			return this.error(connection, 4400, `invalid message: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`, commandId);
		}
		const message = parsed.data;
		if (message.type === 'auth') return this.renew(connection, message.token);
		const outcome = await this.run(connection.actor, message.command);
		if (!this.connections.has(connection)) return;
		this.flushBroadcasts();
		if (outcome.ok) this.send(connection, { type: 'ack', commandId: message.command.commandId, duplicate: outcome.duplicate, created: outcome.created });
		else this.error(connection, outcome.code, outcome.message, message.command.commandId);
	}

	/**
	 * Spends one message from the connection's budget: `true` allowed, `false` refused (answer 4429 and change
	 * nothing), `null` closed because it stayed over the limit (an occasional burst only loses its extra messages).
	 */
	private takeMessage(connection: RoomConnection): boolean | null {
		const now = this.now();
		if (connection.bucket.take(now)) return true;
		if (!connection.bucket.overLimit(now)) return false;
		this.kick(connection, CLOSE.rateLimited, 'too many messages');
		return null;
	}

	private tooMany(connection: RoomConnection, commandId?: string): void {
		this.error(connection, 4429, `too many messages: at most ${this.rate} per second, wait a moment and retry`, commandId);
	}

	private binary(connection: RoomConnection, data: Uint8Array): void {
		const frame = decodeFrame(data);
		if (frame.kind === 'malformed') return this.kick(connection, CLOSE.badMessage, `malformed frame: ${frame.reason}`);
		const name = channelName(frame.channel);
		if (!name || !connection.access.readable.has(name)) return this.kick(connection, CLOSE.badMessage, 'unknown channel');
		const doc = this.docs[name];
		switch (frame.kind) {
			case 'syncStep1': {
				// Answered with (part of) a whole document: counted like a message.
				const allowed = this.takeMessage(connection);
				if (allowed === null) return;
				if (!allowed) return this.tooMany(connection);
				const diff = diffFor(doc, frame.stateVector);
				if (!diff) return this.kick(connection, CLOSE.badMessage, 'malformed state vector');
				connection.socket.send(updateFrame(frame.channel, diff));
				return;
			}
			case 'syncStep2':
			case 'update':
				return this.update(connection, name, frame.update);
			case 'awareness': {
				if (name !== 'notes') return this.kick(connection, CLOSE.badMessage, 'presence goes on the notes channel');
				const now = this.now();
				if (!connection.presenceFrames.take(now)) {
					// Presence is ephemeral: an extra frame is dropped, and a sender that keeps flooding is closed.
					if (connection.presenceFrames.overLimit(now)) this.kick(connection, CLOSE.rateLimited, 'too many presence updates');
					return;
				}
				const received = this.presence.receive(connection, frame.update);
				if (!received.ok) this.kick(connection, CLOSE.badMessage, received.reason);
				return;
			}
		}
	}

	/** A peer's Yjs update: counted in bytes, checked, capped, then applied (persisted and broadcast by onDocUpdate). */
	private update(connection: RoomConnection, name: ChannelName, update: Uint8Array): void {
		// Counted before anything else, refused writes included. Past the budget the socket closes rather than drop
		// the update: a dropped one would leave the sender's document ahead of the room without it knowing.
		if (!connection.yjsBytes.take(this.now(), Math.max(update.byteLength, WIRE_LIMITS.yjsFrameMinBytes))) {
			return this.kick(connection, CLOSE.rateLimited, `writing too fast: at most ${WIRE_LIMITS.yjsBytesPerSecond} bytes per second`);
		}
		const doc = this.docs[name];
		const kind = classifyUpdate(update, doc);
		if (kind === 'malformed') return this.kick(connection, CLOSE.badMessage, 'malformed Yjs update');
		if (kind === 'empty') return;
		if (!connection.access.writable.has(name)) return this.error(connection, 4403, `${name} is read-only for you: change it with commands`);
		const cap = this.caps.get(name);
		// Deletions always pass: they are how a full document makes room.
		if (cap && kind === 'content' && !cap.admits(update.byteLength)) {
			const label = CAPPED[name]!.label;
			return this.error(connection, 4413, `${label} full (at most ${cap.cap} bytes): your last change was not saved. Delete some text to make room.`);
		}
		try {
			Y.applyUpdate(doc, update, connection);
			// An update whose dependencies never came is kept aside by Yjs (pending) without an 'update' event, yet it is
			// part of what joiners download: count it, or a sender could grow the document past the cap that way. (While
			// anything is pending, an update that did integrate is counted twice: that only brings the next measure sooner.)
			if (doc.store.pendingStructs || doc.store.pendingDs) {
				this.fullState.delete(name);
				cap?.changed(update.byteLength);
			}
		} catch {
			// Bytes that decode as an update can still fail to integrate (a struct whose clock does not follow the
			// document's): a bad message, not a room failure. Yjs has no rollback, so what integrated before the throw stays.
			this.kick(connection, CLOSE.badMessage, 'malformed Yjs update');
		}
	}

	// ---- commands ----

	/**
	 * Applies a command as `actor` and resolves once its writes are in durable storage.
	 * The single path for WebSocket and HTTP commands.
	 */
	async run(actor: Actor, command: ClientCommand): Promise<CommandOutcome> {
		this.collecting = [];
		let result: CommandResult;
		const at = new Date(this.now()).toISOString();
		try {
			// The lane writes and the ledger record are appended in this same tick, so they share a storage batch.
			result = applyCommand({ client: this.docs.client, internal: this.docs.internal, ledger: this.ledger }, command, { actor, at, newId: this.newId });
			if (result.ok && command.type === 'version.setVisibility' && !result.duplicate) this.moveVersionNotes(command.versionId, command.clientVisible);
		} finally {
			const writes = this.collecting;
			this.collecting = null;
			try {
				// A duplicate wrote nothing now, but its first application may still be on its way to storage.
				await Promise.all(writes.length > 0 ? writes : [this.lastWrite]);
			} catch (error) {
				this.log('storage write failed', error);
				return { ok: false, code: CLOSE.internalError, message: 'not saved: storage failed, please retry' };
			}
		}
		if (!result.ok) return { ok: false, code: FAILURE_CODES[result.code], message: result.message };
		// Here rather than where acks are sent, so HTTP commands (reviewApi) and commands whose sender left count too.
		if (!result.duplicate && this.options.onActivity) this.reportActivity(actor, command, result.effects.created, at);
		return { ok: true, duplicate: result.duplicate, created: result.effects.created };
	}

	/** The review as `actor` may see it (the HTTP read path). */
	view(actor: Actor) {
		const canReadInternal = channelAccess(actor).readable.has('internal');
		return readReview(canReadInternal ? { client: this.docs.client, internal: this.docs.internal } : { client: this.docs.client }, actor);
	}

	/** The identity a token gives in this project. */
	actorOf(claims: RoomTokenClaims): Actor {
		return {
			userId: claims.sub,
			name: claims.name,
			role: claims.role,
			partnerAccess: claims.role === 'partner' ? (claims.partnerAccess?.[String(this.options.projectId)] ?? null) : null
		};
	}

	/**
	 * Folds every document's log into a snapshot. Encoding a large document takes tens of milliseconds,
	 * so the room does it when the last person leaves rather than in the middle of a burst of commands.
	 */
	async compact(): Promise<void> {
		if (!this.options.store.compact) return;
		for (const name of [...PERSISTED, LEDGER_DOC_ID]) await this.options.store.compact(name);
	}

	destroy(): void {
		if (this.flushTimer) clearTimeout(this.flushTimer);
		this.presence.destroy();
		for (const doc of Object.values(this.docs)) doc.destroy();
		this.ledger.destroy();
	}

	// ---- internals ----

	private reportActivity(actor: Actor, command: ClientCommand, created: readonly CreatedRef[], at: string): void {
		try {
			const activity = reviewActivity({
				roomId: this.options.roomId,
				projectId: this.options.projectId,
				docs: { client: this.docs.client, internal: this.docs.internal },
				actor,
				command,
				created,
				at
			});
			if (activity) this.options.onActivity?.(activity);
		} catch (error) {
			// Dashboards missing one line is no reason to fail a command that is already saved.
			this.log('reporting activity failed', error);
		}
	}

	private async renew(connection: RoomConnection, token: string): Promise<void> {
		const verified = await this.options.verifyToken(token);
		if (!this.connections.has(connection)) return;
		if (!verified.ok) return this.error(connection, verified.status === 403 ? 4403 : 4401, `token refused: ${verified.error}`);
		if (verified.claims.sub !== connection.claims.sub) return this.error(connection, 4403, 'a renewed token must be for the same user');
		// A token minted just before a revocation is still valid for up to a minute: it must not keep the socket.
		if (this.isRevoked(verified.claims)) return this.kick(connection, CLOSE.forbidden, CLOSE_REASON.accessRevoked);
		const actor = this.actorOf(verified.claims);
		const access = channelAccess(actor);
		if (!sameAccess(access, connection.access)) {
			// What this socket may read or write changed (e.g. an editor share became viewer): start over with the new rights.
			return this.kick(connection, CLOSE.unauthorized, CLOSE_REASON.accessChanged);
		}
		connection.claims = verified.claims;
		connection.actor = actor;
		this.send(connection, { type: 'auth-ok', expiresAt: verified.claims.exp * 1000 });
	}

	private onDocUpdate(name: ChannelName, update: Uint8Array, origin: unknown): void {
		this.fullState.delete(name);
		this.caps.get(name)?.changed(update.byteLength);
		this.persist(name, update);
		if (this.connections.has(origin as RoomConnection)) {
			// A live edit (version notes) goes out at once, after what is already queued, and not back to its author.
			this.flushBroadcasts();
			return this.broadcast(name, update, origin);
		}
		// Command effects are sent in batches: one frame per socket for all the commands received in this turn
		// of the event loop instead of one per command, so a busy room's cost does not grow with sockets × commands.
		const queued = this.outgoing.get(name);
		if (queued) queued.push(update);
		else this.outgoing.set(name, [update]);
		this.outgoingCount++;
		this.outgoingBytes += update.byteLength;
		if (this.outgoingCount >= BROADCAST_BATCH.updates || this.outgoingBytes >= BROADCAST_BATCH.bytes) this.flushBroadcasts();
		else this.flushTimer ??= setTimeout(() => this.flushBroadcasts(), 0);
	}

	/** Sends queued command effects; also called before every ack, so an ack never overtakes its effects. */
	private flushBroadcasts(): void {
		if (this.flushTimer) clearTimeout(this.flushTimer);
		this.flushTimer = null;
		if (this.outgoingCount === 0) return;
		const outgoing = this.outgoing;
		this.outgoing = new Map();
		this.outgoingCount = 0;
		this.outgoingBytes = 0;
		for (const [name, updates] of outgoing) this.broadcast(name, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), null);
	}

	private broadcast(name: ChannelName, update: Uint8Array, origin: unknown): void {
		const frame = updateFrame(CHANNELS[name], update);
		for (const connection of this.connections) {
			if (connection !== origin && connection.access.readable.has(name)) connection.socket.send(frame);
		}
	}

	/** Appends an update to storage; a running command's ack waits for it. */
	private persist(docId: string, update: Uint8Array): void {
		const write = this.options.store.append(docId, update);
		write.catch((error) => this.log(`storage append ${docId} failed`, error));
		this.lastWrite = write;
		this.collecting?.push(write);
	}

	private readonly onPresence = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
		const changed = [...added, ...updated, ...removed];
		if (changed.length === 0) return;
		const frame = awarenessFrame(CHANNELS.notes, encodePresence(this.presence, changed));
		for (const connection of this.connections) connection.socket.send(frame);
	};

	/** Keeps a version's notes in the lane the version is in: clients never read internal version notes. */
	private moveVersionNotes(versionId: string, clientVisible: boolean): void {
		const from = this.docs[clientVisible ? 'versionNotesInternal' : 'versionNotesClient'].getText(versionId);
		const to = this.docs[clientVisible ? 'versionNotesClient' : 'versionNotesInternal'].getText(versionId);
		const content = from.toString();
		if (content.length === 0) return;
		to.doc!.transact(() => to.insert(to.length, content), 'version-notes-move');
		from.doc!.transact(() => from.delete(0, from.length), 'version-notes-move');
	}

	private stateOf(name: ChannelName): Uint8Array {
		return this.cachedState(name).state;
	}

	/** Built once per state: joiners of an unchanged document share it (a 7 MB copy per join otherwise). */
	private fullFrameOf(name: ChannelName): Uint8Array {
		const cached = this.cachedState(name);
		return (cached.frame ??= syncStep2Frame(CHANNELS[name], cached.state));
	}

	private cachedState(name: ChannelName): { state: Uint8Array; frame?: Uint8Array } {
		let cached = this.fullState.get(name);
		if (!cached) this.fullState.set(name, (cached = { state: Y.encodeStateAsUpdate(this.docs[name]) }));
		return cached;
	}

	private send(connection: RoomConnection, message: ServerMessage): void {
		connection.socket.send(JSON.stringify(message));
	}

	private error(connection: RoomConnection, code: ErrorCode, message: string, commandId?: string): void {
		this.send(connection, { type: 'error', code, message, ...(commandId ? { commandId } : {}) });
	}

	private kick(connection: RoomConnection, code: number, reason: string): void {
		this.disconnect(connection);
		connection.socket.close(code, reason);
	}
}

function encodePresence(relay: PresenceRelay, ids: number[]): Uint8Array {
	return awarenessProtocol.encodeAwarenessUpdate(relay.awareness, ids);
}

function sameAccess(a: ChannelAccess, b: ChannelAccess): boolean {
	const same = (x: Set<string>, y: Set<string>) => x.size === y.size && [...x].every((v) => y.has(v));
	return same(a.readable, b.readable) && same(a.writable, b.writable);
}

/** The commandId of a rejected message, when it has one, so the sender can match the error. */
function commandIdOf(json: unknown): string | undefined {
	const id = (json as { command?: { commandId?: unknown } } | null)?.command?.commandId;
	return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
}
