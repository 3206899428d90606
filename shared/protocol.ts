import { z } from 'zod';
import type { Role } from './roles';
import { clientCommandSchema } from './review/commands';

/**
 * The project-room wire protocol. One WebSocket carries several Yjs documents and JSON messages:
 * - binary frames: `[channel varuint][y-protocols message]`, the y-protocols message starting with its
 *   own varuint type (0 sync, 1 awareness), exactly as y-websocket frames it;
 * - text frames: JSON, discriminated on `type`, validated with zod on both sides.
 * The client sends `PROTOCOL_VERSION` as the `v` query parameter; the room refuses other versions (4400).
 */
export const PROTOCOL_VERSION = 1;

/** The documents of a project room, by channel number. Numbers are part of the wire format: never renumber. */
export const CHANNELS = {
	/** Shared project notes (a Y.Text `notes`); written through Yjs by members allowed to. Also carries presence. */
	notes: 0,
	/** Review data of the client lane; written only by the room's commands. */
	client: 1,
	/** Review data of the internal lane; written only by the room's commands; never sent to clients. */
	internal: 2,
	/** Version notes of client-visible versions (a Y.Text per version id); written through Yjs by staff and partner editors. */
	versionNotesClient: 3,
	/** Version notes of internal versions; never sent to clients. */
	versionNotesInternal: 4
} as const;
export type ChannelName = keyof typeof CHANNELS;
/** The document a frame's channel number names; undefined for a number that names none. */
export function channelName(channel: number): ChannelName | undefined {
	return (Object.keys(CHANNELS) as ChannelName[]).find((name) => CHANNELS[name] === channel);
}

/** y-protocols message types inside a channel frame (y-websocket's numbering). */
export const Y_MESSAGE = { sync: 0, awareness: 1 } as const;

/**
 * What one connection may send, and what happens past each limit (party/README.md "Protocol and limits" states
 * the same list). Rates are token buckets per connection: `xPerSecond` refills, `xBurst` is the most spent at once.
 */
export const WIRE_LIMITS = {
	/** Any frame over this many bytes (UTF-8 bytes for text frames) closes the socket with 4413. */
	frameBytes: 256 * 1024,
	/**
	 * Text messages per second per connection (commands, token renewals, malformed messages alike) and sync
	 * requests (y-protocols step 1, answered with a whole document). Past the burst each is refused with an
	 * `error` 4429 and changes nothing.
	 */
	commandsPerSecond: 20,
	commandBurst: 40,
	/**
	 * A connection refused without a pause of `overLimitGapMs` for this long, or this many times in such a streak,
	 * is closed with 4429: 100 commands/s ends within about 3 s, a flood at once, while an honest burst (60 at once,
	 * then quiet) only loses its last 20. The same rule closes a presence flood.
	 */
	overLimitWindowMs: 3_000,
	overLimitGapMs: 1_000,
	overLimitRefusals: 200,
	/**
	 * Yjs updates (binary sync frames) per connection, in bytes per second; each frame counts at least
	 * `yjsFrameMinBytes`, so a stream of tiny frames is limited too (64 frames/s). A frame past the budget closes
	 * the socket with 4429 at once: dropping it would leave the sender's document silently ahead of the room,
	 * whereas after a reconnect the sync exchange sends it again. The burst equals `frameBytes`, so any legal
	 * frame passes a fresh connection.
	 */
	yjsBytesPerSecond: 32 * 1024,
	yjsBurstBytes: 256 * 1024,
	yjsFrameMinBytes: 512,
	/** An awareness state (presence) over this is dropped. */
	awarenessStateBytes: 2_048,
	/**
	 * Awareness (presence) ids one connection may own: a client has one, plus one spare for a client that
	 * replaced its document without reconnecting. Further ids are ignored; a frame listing more entries than this
	 * closes the socket with 4400.
	 */
	awarenessIdsPerConnection: 2,
	/** Awareness frames per second per connection (the page sends cursor moves at most every 50 ms); extra ones are dropped. */
	awarenessPerSecond: 30,
	awarenessBurst: 60
} as const;

/**
 * The most a document written through Yjs may weigh, encoded (`Y.encodeStateAsUpdate`), which is what every
 * joiner downloads. An update that would take it past this is refused with an `error` 4413 and changes nothing
 * (not applied, not stored, not broadcast); deletions of content it has are always accepted, so a full document
 * can be trimmed.
 * The review lanes change only by commands, whose own limits bound them.
 */
export const DOC_LIMITS = {
	/** The shared project notes (channel `notes`). */
	notesBytes: 512 * 1024,
	/** Each version-notes document (`versionNotesClient`, `versionNotesInternal`): all versions' notes together. */
	versionNotesBytes: 512 * 1024
} as const;

// ---- client → room (text) ----

export const commandMessageSchema = z.object({ type: z.literal('command'), command: clientCommandSchema }).strict();
/** A fresh room token, sent before the current one expires so the socket stays open. */
export const authMessageSchema = z.object({ type: z.literal('auth'), token: z.string().max(8_192) }).strict();
export const clientMessageSchema = z.discriminatedUnion('type', [commandMessageSchema, authMessageSchema]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

// ---- room → client (text) ----

/** Who the room says you are (from your token) and what you may do, sent once after the upgrade. */
export interface WelcomeMessage {
	type: 'welcome';
	protocol: typeof PROTOCOL_VERSION;
	user: PresenceUser;
	/** Channels this socket is synced on; a client must not expect the others. */
	channels: ChannelName[];
	/** Channels this socket may write through Yjs. */
	writable: ChannelName[];
	expiresAt: number;
}

/** A command was applied and is in durable storage. `created` names what it made. */
export interface AckMessage {
	type: 'ack';
	commandId: string;
	duplicate: boolean;
	created: Array<{ kind: string; id: string }>;
}

/**
 * Why something was refused. Codes mirror HTTP and the close codes in closeCodes.ts (4400, 4401, 4403, 4404, 4409, 4413, 4429, 4500).
 * Without `commandId` it is about a Yjs write or the connection: 4403 a read-only document, 4413 a document full
 * (DOC_LIMITS), 4429 too many messages.
 */
export interface ErrorMessage {
	type: 'error';
	code: ErrorCode;
	message: string;
	commandId?: string;
}
export type ErrorCode = 4400 | 4401 | 4403 | 4404 | 4409 | 4413 | 4429 | 4500;

/** The room accepted a renewed token. */
export interface AuthOkMessage {
	type: 'auth-ok';
	expiresAt: number;
}

export type ServerMessage = WelcomeMessage | AckMessage | ErrorMessage | AuthOkMessage;

/** The identity the room attaches to a connection's presence; never what the client claims. */
export interface PresenceUser {
	userId: string;
	name: string;
	role: Role;
	color: string;
}

/** The only presence fields the room relays, besides `user` which it sets itself. */
export const presenceFieldsSchema = z
	.object({
		cursor: z
			.object({ frameId: z.string().max(64), x: z.number().min(0).max(1), y: z.number().min(0).max(1) })
			.strict()
			.nullable()
			.optional(),
		typing: z.boolean().optional()
	})
	.strip();
export type PresenceFields = z.infer<typeof presenceFieldsSchema>;
