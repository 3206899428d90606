import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { signRoomToken, verifyRoomToken, type RoomTokenClaims, type RoomTokenSubject } from '../../shared/roomToken';
import { authorizeToken } from '../roomAuth';
import { HEARTBEAT } from '../../shared/heartbeat';
import { CHANNELS, type ServerMessage } from '../../shared/protocol';
import { awarenessFrame, decodeFrame } from '../../shared/roomFrames';
import { ReviewRoom, type RoomConnection } from './ReviewRoom';
import type { RoomStore } from './RoomStore';
import type { SocketLike } from './SocketLike';

export const SECRET = 'review-room-unit-secret-0123456789abcdef';
export const ROOM_ID = 'ferme-verte.3';

/** A socket that records every frame the room sends it, decoded enough for assertions. */
export class RecordingSocket implements SocketLike {
	readonly texts: ServerMessage[] = [];
	readonly binaries: Uint8Array[] = [];
	/** Heartbeat answers (raw text, not JSON: shared/heartbeat.ts). */
	pongs = 0;
	closed: { code?: number; reason?: string } | null = null;
	send(data: string | Uint8Array) {
		if (data === HEARTBEAT.pong) this.pongs++;
		else if (typeof data === 'string') this.texts.push(JSON.parse(data) as ServerMessage);
		else this.binaries.push(data);
	}
	close(code?: number, reason?: string) {
		this.closed = { code, reason };
	}
	/** Channel numbers of every binary frame received. */
	channels(): number[] {
		return this.binaries.flatMap((b) => {
			const frame = decodeFrame(b);
			return frame.kind === 'malformed' ? [] : [frame.channel];
		});
	}
	/** Every received byte and text as one string, to search for content that must not be there. */
	everything(): string {
		return this.texts.map((t) => JSON.stringify(t)).join('\n') + new TextDecoder('utf-8', { fatal: false }).decode(concat(this.binaries));
	}
	last<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }> | undefined {
		return [...this.texts].reverse().find((t) => t.type === type) as Extract<ServerMessage, { type: T }> | undefined;
	}
}

/** A store whose writes are held until `release()`, to prove acks wait for durability. */
export class GatedStore implements RoomStore {
	readonly updates = new Map<string, Uint8Array[]>();
	private gate: Promise<void> = Promise.resolve();
	private open: () => void = () => {};
	writes = 0;
	hold() {
		this.gate = new Promise((resolve) => (this.open = resolve));
	}
	release() {
		this.open();
	}
	async load(docId: string, doc: Y.Doc) {
		for (const update of this.updates.get(docId) ?? []) Y.applyUpdate(doc, update);
	}
	async append(docId: string, update: Uint8Array) {
		this.writes++;
		const list = this.updates.get(docId) ?? [];
		this.updates.set(docId, list);
		await this.gate;
		list.push(update);
	}
}

export async function claimsFor(subject: Partial<RoomTokenSubject>, ttlSeconds = 60): Promise<RoomTokenClaims> {
	const { token } = await signRoomToken({ sub: '7', name: 'Hery Rakoto', role: 'designer', tenant: 'ferme-verte', projects: [3], ...subject }, SECRET, { ttlSeconds });
	const verified = await verifyRoomToken(token, SECRET);
	if (!verified.ok) throw new Error('test token invalid');
	return verified.claims;
}

export async function tokenFor(subject: Partial<RoomTokenSubject>): Promise<string> {
	return (await signRoomToken({ sub: '7', name: 'Hery Rakoto', role: 'designer', tenant: 'ferme-verte', projects: [3], ...subject }, SECRET)).token;
}

let ids = 0;
export async function newRoom(store: RoomStore = new GatedStore(), now?: () => number, log: (message: string, error?: unknown) => void = () => {}) {
	return ReviewRoom.load({
		roomId: ROOM_ID,
		projectId: 3,
		store,
		now,
		newId: () => `id${++ids}`,
		log,
		verifyToken: (token) => authorizeToken(token, 'project', ROOM_ID, SECRET, now?.())
	});
}

export function join(room: ReviewRoom, claims: RoomTokenClaims): { socket: RecordingSocket; connection: RoomConnection } {
	const socket = new RecordingSocket();
	return { socket, connection: room.connect(socket, claims) };
}

export function commandText(command: Record<string, unknown>): string {
	return JSON.stringify({ type: 'command', command });
}

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let offset = 0;
	for (const part of parts) out.set(part, offset), (offset += part.length);
	return out;
}

/** An update that inserts `text` into the Y.Text `name`, made by a fresh client (so it depends on nothing). */
export function textInsert(text: string, name = 'notes'): Uint8Array {
	const doc = new Y.Doc();
	doc.getText(name).insert(0, text);
	return Y.encodeStateAsUpdate(doc);
}

/** An awareness frame on the notes channel carrying `states` (awareness id → state) at `clock` (a receiver ignores a clock it saw). */
export function awarenessFrameFor(states: Array<[number, unknown]>, clock = 1): Uint8Array {
	const update = encoding.createEncoder();
	encoding.writeVarUint(update, states.length);
	for (const [id, state] of states) {
		encoding.writeVarUint(update, id);
		encoding.writeVarUint(update, clock);
		encoding.writeVarString(update, JSON.stringify(state));
	}
	return awarenessFrame(CHANNELS.notes, encoding.toUint8Array(update));
}

/** The awareness ids a socket was told about, from every awareness frame it received. */
export function awarenessIdsSeen(socket: RecordingSocket): Set<number> {
	const seen = new awarenessProtocol.Awareness(new Y.Doc());
	for (const bytes of socket.binaries) {
		const frame = decodeFrame(bytes);
		if (frame.kind === 'awareness' && frame.channel === CHANNELS.notes) awarenessProtocol.applyAwarenessUpdate(seen, frame.update, 'test');
	}
	const ids = new Set(seen.getStates().keys());
	ids.delete(seen.clientID);
	return ids;
}
