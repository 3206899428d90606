import type * as Y from 'yjs';

/**
 * Durable storage of a room's documents (party/storage/DocStore.ts in production, an in-memory one in
 * unit tests). `append` resolves only when the update is in Durable Object storage: the room
 * acknowledges a command after that, never before.
 */
export interface RoomStore {
	load(docId: string, doc: Y.Doc): Promise<void>;
	append(docId: string, update: Uint8Array): Promise<void>;
	/** Folds a document's update log into a snapshot; the room calls it when nobody is connected. */
	compact?(docId: string): Promise<void>;
}
