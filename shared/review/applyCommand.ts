import type * as Y from 'yjs';
import { z } from 'zod';
import { actorSchema, type ReviewMember, type Stamp } from './actor';
import { appliedKey, readableLanes, type ApplyContext } from './applyContext';
import { clientCommandSchema, type ClientCommand } from './commands';
import { applyFrameAdd, applyFrameArchive, applyFrameMove, applyFrameRename } from './frames';
import type { ReviewDocs } from './lanes';
import { docOf, reviewMaps } from './layout';
import { migrateReviewDoc } from './migrate';
import { refuse, type CommandEffects, type CommandResult } from './outcome';
import { applyRoundDecide, applyRoundOpen } from './rounds';
import {
	applyMessageDelete,
	applyMessageEdit,
	applyReactionToggle,
	applyThreadCreate,
	applyThreadReopen,
	applyThreadReply,
	applyThreadResolve
} from './threads';
import { applyVersionAdd, applyVersionSetVisibility } from './versions';

// `Date#toISOString()` output: one fixed format, so comparing the strings compares the times.
const SERVER_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const appliedSchema = z.object({
	at: z.string(),
	effects: z.object({
		lanes: z.array(z.enum(['client', 'internal'])),
		created: z.array(z.object({ kind: z.enum(['frame', 'version', 'thread', 'message', 'round']), id: z.string() })),
		mentioned: z.array(z.string())
	})
});

/**
 * Validates a client's command, checks the actor's rights, and applies it to the review documents with the
 * stamp's identity and time. Expected refusals come back as values; only a bug in the caller (a malformed
 * stamp, documents newer than this code) throws.
 *
 * Idempotent per (actor, commandId): an applied command is recorded in the `applied` map of the document it
 * wrote, in the same transaction, and a retry returns the recorded effects with `duplicate: true`. A refused
 * command is not recorded, so a retry is judged again. The room may prune old `applied` entries.
 *
 * @example applyCommand(docs, JSON.parse(text), { actor, at: new Date().toISOString(), newId: nanoid }, members)
 */
export function applyCommand(docs: ReviewDocs, command: unknown, stamp: Stamp, members?: readonly ReviewMember[]): CommandResult {
	const parsed = clientCommandSchema.safeParse(command);
	if (!parsed.success) return refuse('invalid', `This command is malformed: ${z.prettifyError(parsed.error).slice(0, 500)}`);
	const actor = actorSchema.safeParse(stamp.actor);
	if (!actor.success) throw new Error(`applyCommand: malformed actor in stamp: ${z.prettifyError(actor.error)}`);
	if (!SERVER_TIME.test(stamp.at)) throw new Error(`applyCommand: stamp.at must come from Date#toISOString(), got ${JSON.stringify(stamp.at)}`);
	// Migration is a no-op on current documents; done here too so no caller can write v1 entries into a v0 document.
	for (const doc of [docs.client, docs.internal]) {
		const migration = migrateReviewDoc(doc);
		if (!migration.ok) throw new Error(migration.message);
	}
	const ctx: ApplyContext = {
		docs,
		actor: actor.data,
		stamp,
		commandId: parsed.data.commandId,
		members: members ? new Map(members.map((m) => [m.userId, m])) : null
	};
	const previous = findApplied(ctx);
	if (previous) return { ok: true, duplicate: true, effects: previous };
	return dispatch(ctx, parsed.data);
}

// Only the documents the actor may read are searched: a client's command is never recorded in the internal one.
function findApplied(ctx: ApplyContext): CommandEffects | null {
	for (const lane of readableLanes(ctx.actor)) {
		const entry = appliedSchema.safeParse(reviewMaps(docOf(ctx.docs, lane)).applied.get(appliedKey(ctx.actor.userId, ctx.commandId)));
		if (entry.success) return entry.data.effects;
	}
	return null;
}

function dispatch(ctx: ApplyContext, command: ClientCommand): CommandResult {
	switch (command.type) {
		case 'frame.add':
			return applyFrameAdd(ctx, command);
		case 'frame.rename':
			return applyFrameRename(ctx, command);
		case 'frame.move':
			return applyFrameMove(ctx, command);
		case 'frame.archive':
			return applyFrameArchive(ctx, command);
		case 'version.add':
			return applyVersionAdd(ctx, command);
		case 'version.setVisibility':
			return applyVersionSetVisibility(ctx, command);
		case 'thread.create':
			return applyThreadCreate(ctx, command);
		case 'thread.reply':
			return applyThreadReply(ctx, command);
		case 'message.edit':
			return applyMessageEdit(ctx, command);
		case 'message.delete':
			return applyMessageDelete(ctx, command);
		case 'thread.resolve':
			return applyThreadResolve(ctx, command);
		case 'thread.reopen':
			return applyThreadReopen(ctx, command);
		case 'reaction.toggle':
			return applyReactionToggle(ctx, command);
		case 'round.open':
			return applyRoundOpen(ctx, command);
		case 'round.decide':
			return applyRoundDecide(ctx, command);
		default:
			return assertNever(command);
	}
}

function assertNever(value: never): never {
	throw new Error(`unhandled command ${JSON.stringify(value)}`);
}

/**
 * Forgets applied-command records older than `before` (ISO time), to bound the document's growth. A retry
 * arriving after that is applied again, so keep well beyond any client's retry window (a day is plenty).
 */
export function pruneAppliedCommands(doc: Y.Doc, before: string): number {
	const applied = reviewMaps(doc).applied;
	const old = [...applied.entries()].filter(([, value]) => {
		const entry = appliedSchema.safeParse(value);
		return !entry.success || entry.data.at < before;
	});
	if (old.length > 0) doc.transact(() => old.forEach(([key]) => applied.delete(key)), { source: 'review-prune' });
	return old.length;
}
