import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { signRoomToken, verifyRoomToken, type RoomTokenClaims, type RoomTokenSubject } from '../../shared/roomToken';
import { authorizeToken } from '../roomAuth';
import type { ServerMessage } from '../../shared/protocol';
import { ReviewRoom, type RoomConnection } from './ReviewRoom';
import type { RoomStore } from './RoomStore';
import type { SocketLike } from './SocketLike';

export const SECRET = 'review-room-unit-secret-0123456789abcdef';
export const ROOM_ID = 'ferme-verte.3';

/** A socket that records every frame the room sends it, decoded enough for assertions. */
export class RecordingSocket implements SocketLike {
	readonly texts: ServerMessage[] = [];
	readonly binaries: Uint8Array[] = [];
	closed: { code?: number; reason?: string } | null = null;
	send(data: string | Uint8Array) {
		if (typeof data === 'string') this.texts.push(JSON.parse(data) as ServerMessage);
		else this.binaries.push(data);
	}
	close(code?: number, reason?: string) {
		this.closed = { code, reason };
	}
	/** Channel numbers of every binary frame received. */
	channels(): number[] {
		return this.binaries.map((b) => decoding.readVarUint(decoding.createDecoder(b)));
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
export async function newRoom(store: RoomStore = new GatedStore(), now?: () => number) {
	return ReviewRoom.load({
		roomId: ROOM_ID,
		projectId: 3,
		store,
		now,
		newId: () => `id${++ids}`,
		log: () => {},
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
