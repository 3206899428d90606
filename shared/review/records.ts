import { z } from 'zod';
import { roleSchema } from '../roleSchema';
import { anchorSchema, decisionSchema, frameImageSchema } from './commands';
import { idSchema } from './ids';
import { laneSchema } from './lanes';
import { isOrderKey } from './orderKeys';

// The shapes stored in the review documents (schema version 1): each entry of a collection is the JSON text
// of one of these (layout.ts). Readers parse every entry with these and skip what does not fit, so one
// corrupt entry never breaks a view.

const personSchema = z.object({ userId: idSchema, name: z.string() });
const authorSchema = personSchema.extend({ role: roleSchema });
const isoSchema = z.string();

export const storedFrameSchema = z.object({
	id: idSchema,
	name: z.string(),
	figmaNodeId: z.string().nullable(),
	page: z.string().nullable(),
	width: z.number(),
	height: z.number(),
	image: frameImageSchema.nullable(),
	/** Fractional order key (orderKeys.ts); ties, possible only after concurrent writers, are broken by id. */
	order: z.string().refine(isOrderKey),
	archived: z.boolean(),
	createdBy: personSchema,
	createdAt: isoSchema
});
export type StoredFrame = z.infer<typeof storedFrameSchema>;

export const storedVersionSchema = z.object({
	id: idSchema,
	label: z.string(),
	figmaVersionId: z.string().nullable(),
	clientVisible: z.boolean(),
	createdBy: personSchema,
	createdAt: isoSchema
});
export type StoredVersion = z.infer<typeof storedVersionSchema>;

export const storedMessageSchema = z.object({
	id: idSchema,
	author: authorSchema,
	/** `""` once deleted. */
	body: z.string(),
	mentions: z.array(idSchema),
	createdAt: isoSchema,
	editedAt: isoSchema.nullable(),
	deletedAt: isoSchema.nullable(),
	/** `reactionKey(userId, emoji)` → when: one key per person and emoji, so the view can list who reacted, in order. */
	reactions: z.record(z.string(), isoSchema)
});
export type StoredMessage = z.infer<typeof storedMessageSchema>;

export const THREAD_STATUSES = ['open', 'resolved'] as const;
export const storedThreadSchema = z.object({
	id: idSchema,
	lane: laneSchema,
	frameId: idSchema,
	anchor: anchorSchema,
	/** The current version of the lane's audience when the thread was opened; `null` if there was none. */
	versionId: idSchema.nullable(),
	status: z.enum(THREAD_STATUSES),
	resolvedBy: personSchema.nullable(),
	resolvedAt: isoSchema.nullable(),
	reopenedBy: personSchema.nullable(),
	reopenedAt: isoSchema.nullable(),
	createdBy: authorSchema,
	createdAt: isoSchema,
	messages: z.array(storedMessageSchema)
});
export type StoredThread = z.infer<typeof storedThreadSchema>;
export type ThreadStatus = StoredThread['status'];

export const storedDecisionSchema = z.object({
	reviewerId: idSchema,
	reviewerName: z.string(),
	decision: decisionSchema,
	comment: z.string().nullable(),
	/** The version the reviewer saw when deciding; a decision on an older version is stale. */
	versionId: idSchema.nullable(),
	at: isoSchema
});
export type StoredDecision = z.infer<typeof storedDecisionSchema>;

export const storedRoundSchema = z.object({
	id: idSchema,
	/**
	 * Who the round is for, fixed when opened: `client` rounds (opened on a client-visible version) follow their
	 * version between the documents; `internal` rounds never leave the internal document.
	 */
	lane: laneSchema,
	versionId: idSchema,
	reviewers: z.array(idSchema),
	dueDate: z.string(),
	openedBy: personSchema,
	openedAt: isoSchema,
	/** Append-only history: a reviewer's later decision supersedes, never erases, an earlier one. */
	decisions: z.array(storedDecisionSchema)
});
export type StoredRound = z.infer<typeof storedRoundSchema>;

/** The key of one person's reaction in `StoredMessage.reactions`. User ids never contain `:`, so the first `:` splits it. */
export function reactionKey(userId: string, emoji: string): string {
	return `${userId}:${emoji}`;
}

/** Splits a `reactionKey`; `null` for a malformed key. */
export function parseReactionKey(key: string): { userId: string; emoji: string } | null {
	const at = key.indexOf(':');
	return at > 0 && at < key.length - 1 ? { userId: key.slice(0, at), emoji: key.slice(at + 1) } : null;
}
