import { z } from 'zod';
import { roleSchema } from '../roleSchema';
import { shareAccessSchema } from '../entities';
import { idSchema } from './ids';

/**
 * Who sends a command, as the room stamps it from the verified room token (never from the message).
 * `partnerAccess` is the partner's live share of this project (`projectAccess` in ../access.ts); `null` for everyone else.
 */
export const actorSchema = z.object({
	userId: idSchema,
	name: z.string().max(200),
	role: roleSchema,
	partnerAccess: shareAccessSchema.nullable()
});
export type Actor = z.infer<typeof actorSchema>;

/** What the server adds to a client's command: the verified identity, its clock and an id source (shared/ has no crypto). */
export interface Stamp {
	actor: Actor;
	/** ISO 8601 server time, e.g. `new Date().toISOString()`. */
	at: string;
	/** Returns a fresh id matching `ID_PATTERN`, unique in the project (e.g. a nanoid). */
	newId: () => string;
}

/** A project member as the room knows them; used to drop mentions of strangers and check reviewers. */
export interface ReviewMember {
	userId: string;
	role: Actor['role'];
}

/** The part of an actor stored on what they wrote: enough to show a name without a lookup. */
export type PersonRef = { userId: string; name: string };
