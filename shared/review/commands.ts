import { z } from 'zod';
import { idSchema } from './ids';
import { laneSchema } from './lanes';

/** Size limits of everything a client may send: a peer is untrusted, so every string and list is bounded. */
export const LIMITS = {
	body: 10_000,
	name: 200,
	figmaId: 200,
	url: 2_000,
	mediaPath: 500,
	emoji: 16,
	reviewers: 50,
	mentions: 50,
	dimension: 100_000
} as const;

const nonBlank = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const nameSchema = nonBlank(LIMITS.name);
const bodySchema = nonBlank(LIMITS.body);
// Figma node ids look like `12:34` or `I12:34;56:78` (instances), so they get their own alphabet.
const figmaIdSchema = z.string().max(LIMITS.figmaId).regex(/^[A-Za-z0-9:;_-]+$/, 'expected a Figma id');
const dimensionSchema = z.number().positive().max(LIMITS.dimension);
const unitSchema = z.number().min(0).max(1);
const mentionsSchema = z.array(idSchema).max(LIMITS.mentions);

// A stored media path is joined to a storage prefix by the server: no traversal, no Windows separators, no absolute path.
const mediaPathSchema = z
	.string()
	.min(1)
	.max(LIMITS.mediaPath)
	.refine((p) => !p.includes('..') && !p.includes('\\') && !p.startsWith('/') && !/[\u0000-\u001f\u007f]/.test(p), 'invalid media path');

export const frameImageSchema = z.discriminatedUnion('kind', [
	// Only http(s): a `javascript:` or `data:` URL must never reach an <img> or a link.
	z.strictObject({ kind: z.literal('url'), url: z.url({ protocol: /^https?$/ }).max(LIMITS.url) }),
	z.strictObject({ kind: z.literal('media'), path: mediaPathSchema })
]);
export type FrameImage = z.infer<typeof frameImageSchema>;

/** Where a thread is pinned: a point in frame-relative coordinates (0..1, so it survives a resize) or the whole frame. */
export const anchorSchema = z.discriminatedUnion('kind', [
	z.strictObject({ kind: z.literal('point'), x: unitSchema, y: unitSchema }),
	z.strictObject({ kind: z.literal('frame') })
]);
export type Anchor = z.infer<typeof anchorSchema>;

export const emojiSchema = z
	.string()
	.min(1)
	.max(LIMITS.emoji)
	.refine((e) => !/[\s\u0000-\u001f\u007f]/.test(e) && e !== '__proto__', 'invalid emoji');

export const DECISIONS = ['approved', 'changes_requested'] as const;
export const decisionSchema = z.enum(DECISIONS);
export type Decision = z.infer<typeof decisionSchema>;

// Every command carries a client-chosen id so the room can ack it and drop a retried duplicate.
// `strictObject`: an `author`, `createdBy` or `at` a client adds is refused, never silently trusted or dropped.
function command<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
	return z.strictObject({ type: z.literal(type), commandId: idSchema, ...shape });
}

export const frameAddSchema = command('frame.add', {
	name: nameSchema,
	figmaNodeId: figmaIdSchema.optional(),
	page: nameSchema.optional(),
	width: dimensionSchema,
	height: dimensionSchema,
	image: frameImageSchema.optional(),
	/** Insert after this frame; at the end when absent. */
	afterFrameId: idSchema.optional()
});
export const frameRenameSchema = command('frame.rename', { frameId: idSchema, name: nameSchema });
/** `afterFrameId: null` moves the frame first. */
export const frameMoveSchema = command('frame.move', { frameId: idSchema, afterFrameId: idSchema.nullable() });
export const frameArchiveSchema = command('frame.archive', { frameId: idSchema, archived: z.boolean() });

export const versionAddSchema = command('version.add', {
	label: nameSchema,
	figmaVersionId: figmaIdSchema.optional(),
	clientVisible: z.boolean()
});
export const versionSetVisibilitySchema = command('version.setVisibility', { versionId: idSchema, clientVisible: z.boolean() });

export const threadCreateSchema = command('thread.create', {
	lane: laneSchema,
	frameId: idSchema,
	anchor: anchorSchema,
	body: bodySchema,
	mentions: mentionsSchema
});
export const threadReplySchema = command('thread.reply', { threadId: idSchema, body: bodySchema, mentions: mentionsSchema });
export const messageEditSchema = command('message.edit', { threadId: idSchema, messageId: idSchema, body: bodySchema, mentions: mentionsSchema });
export const messageDeleteSchema = command('message.delete', { threadId: idSchema, messageId: idSchema });
export const threadResolveSchema = command('thread.resolve', { threadId: idSchema });
export const threadReopenSchema = command('thread.reopen', { threadId: idSchema });
export const reactionToggleSchema = command('reaction.toggle', { threadId: idSchema, messageId: idSchema, emoji: emojiSchema });

export const roundOpenSchema = command('round.open', {
	versionId: idSchema,
	reviewers: z.array(idSchema).min(1).max(LIMITS.reviewers),
	dueDate: z.iso.date()
});
export const roundDecideSchema = command('round.decide', {
	roundId: idSchema,
	decision: decisionSchema,
	comment: z.string().trim().max(LIMITS.body).optional()
}).refine((c) => c.decision !== 'changes_requested' || (c.comment ?? '') !== '', {
	path: ['comment'],
	message: 'say what should change when requesting changes'
});

/** A command as a client sends it: no actor, author or time (the room stamps those from the verified token). */
export const clientCommandSchema = z.discriminatedUnion('type', [
	frameAddSchema,
	frameRenameSchema,
	frameMoveSchema,
	frameArchiveSchema,
	versionAddSchema,
	versionSetVisibilitySchema,
	threadCreateSchema,
	threadReplySchema,
	messageEditSchema,
	messageDeleteSchema,
	threadResolveSchema,
	threadReopenSchema,
	reactionToggleSchema,
	roundOpenSchema,
	roundDecideSchema
]);
export type ClientCommand = z.infer<typeof clientCommandSchema>;
export type CommandType = ClientCommand['type'];
/** The command of one `type`, e.g. `CommandOf<'thread.reply'>`. */
export type CommandOf<T extends CommandType> = Extract<ClientCommand, { type: T }>;
