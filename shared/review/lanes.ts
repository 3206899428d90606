import { z } from 'zod';
import type * as Y from 'yjs';

/**
 * The two lanes of a review, each its own Y.Doc. `client` is synced to everyone in the project;
 * `internal` only to staff and partners: a client must never receive one byte of it, which is why
 * the lanes are separate documents and not two maps of one document.
 */
export const LANES = ['client', 'internal'] as const;
export const laneSchema = z.enum(LANES);
export type Lane = z.infer<typeof laneSchema>;

/**
 * The documents of a project room's review: the two lanes, synced to their readers, and the room's
 * `ledger` of applied commands, which never leaves the server (see applyCommand.ts). Without a ledger,
 * commands are not de-duplicated: a retried command is applied again.
 */
export interface ReviewDocs {
	client: Y.Doc;
	internal: Y.Doc;
	ledger?: Y.Doc;
}
