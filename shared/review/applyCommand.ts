import { z } from 'zod';
import { actorSchema, type ReviewMember, type Stamp } from './actor';
import { commandOrigin, type ApplyContext } from './applyContext';
import { clientCommandSchema, type ClientCommand } from './commands';
import { applyFrameAdd, applyFrameArchive, applyFrameMove, applyFrameRename } from './frames';
import type { ReviewDocs } from './lanes';
import { findApplied, recordApplied } from './ledger';
import { migrateReviewDoc } from './migrate';
import { refuse, type CommandResult } from './outcome';
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

/**
 * Validates a client's command, checks the actor's rights, and applies it to the review documents with the
 * stamp's identity and time. Expected refusals come back as values; only a bug in the caller (a malformed
 * stamp, documents newer than this code) throws.
 *
 * Idempotent per (actor, commandId) when `docs.ledger` is given: an applied command is recorded there, in its
 * own transaction right after the lane writes, and a retry returns the recorded effects with `duplicate: true`.
 * The room persists both in one storage batch: their updates are appended synchronously, in the same tick,
 * and the store commits what was appended in one tick as one batch (party/storage/README.md). A refused command, or one that changed
 * nothing, is not recorded, so a retry is judged again. Without a ledger nothing is recorded and a retry is
 * applied again. The room prunes old records (`pruneAppliedCommands`).
 *
 * @example applyCommand(docs, JSON.parse(text), { actor, at: new Date().toISOString(), newId: nanoid }, members)
 */
export function applyCommand(docs: ReviewDocs, command: unknown, stamp: Stamp, members?: readonly ReviewMember[]): CommandResult {
	const parsed = clientCommandSchema.safeParse(command);
	if (!parsed.success) return refuse('invalid', `This command is malformed: ${z.prettifyError(parsed.error).slice(0, 500)}`);
	const actor = actorSchema.safeParse(stamp.actor);
	if (!actor.success) throw new Error(`applyCommand: malformed actor in stamp: ${z.prettifyError(actor.error)}`);
	if (!SERVER_TIME.test(stamp.at)) throw new Error(`applyCommand: stamp.at must come from Date#toISOString(), got ${JSON.stringify(stamp.at)}`);
	// Migration is a no-op on current documents (after a first look, see migrate.ts); done here too so no caller
	// can write current entries into an older document.
	for (const doc of [docs.client, docs.internal]) {
		const migration = migrateReviewDoc(doc, docs.ledger);
		if (!migration.ok) throw new Error(migration.message);
	}
	const ctx: ApplyContext = {
		docs,
		actor: actor.data,
		stamp,
		commandId: parsed.data.commandId,
		members: members ? new Map(members.map((m) => [m.userId, m])) : null
	};
	const { ledger } = docs;
	const previous = ledger ? findApplied(ledger, ctx.actor.userId, ctx.commandId) : null;
	if (previous) return { ok: true, duplicate: true, effects: previous };
	const result = dispatch(ctx, parsed.data);
	if (ledger && result.ok && result.effects.lanes.length > 0) {
		recordApplied(ledger, { userId: ctx.actor.userId, commandId: ctx.commandId }, stamp.at, result.effects, commandOrigin(ctx));
	}
	return result;
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

export { pruneAppliedCommands } from './ledger';
