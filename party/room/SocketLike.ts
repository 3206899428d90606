/**
 * What the room needs of a connection: the PartyServer connection in production, an in-memory pair
 * in unit tests (tldraw's TLSocketRoom and Hocuspocus take the same minimal shape).
 */
export interface SocketLike {
	send(data: string | Uint8Array): void;
	close(code?: number, reason?: string): void;
}
