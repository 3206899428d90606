import type * as Y from 'yjs';
import type { Actor, ReviewMember, Stamp } from './actor';
import { isId } from './ids';
import type { Lane, ReviewDocs } from './lanes';
import { docOf } from './layout';
import type { CommandEffects, CommandResult, ReviewOrigin } from './outcome';
import { can } from './permissions';

/** Everything an applier needs: the documents, who is acting and when, and the project's members if known. */
export interface ApplyContext {
	docs: ReviewDocs;
	actor: Actor;
	stamp: Stamp;
	commandId: string;
	/** `null` when the caller passed no member list: mentions and reviewers are then taken as given. */
	members: ReadonlyMap<string, ReviewMember> | null;
}

/** The lanes `actor` may read, client first. */
export function readableLanes(actor: Actor): Lane[] {
	return (['client', 'internal'] as const).filter((lane) => can(actor, 'lane.read', { lane }));
}

/** A fresh id from the caller's generator; a malformed one is a bug in the caller, not a user error. */
export function newId(ctx: ApplyContext): string {
	const id = ctx.stamp.newId();
	if (!isId(id)) throw new Error(`stamp.newId returned a malformed id: ${JSON.stringify(id)}`);
	return id;
}

/**
 * Runs `mutate` in one transaction on the document of `lane`, with the command as origin, so the room can
 * tell the command's writes from anything else. (applyCommand records the command in the ledger afterwards.)
 */
export function write(ctx: ApplyContext, lane: Lane, mutate: (doc: Y.Doc) => void): void {
	const doc = docOf(ctx.docs, lane);
	doc.transact(() => mutate(doc), commandOrigin(ctx));
}

/** The `origin` of the command's transactions. */
export function commandOrigin(ctx: ApplyContext): ReviewOrigin {
	return { source: 'review-command', commandId: ctx.commandId, userId: ctx.actor.userId, at: ctx.stamp.at };
}

/** Writes to one lane and reports it: the common shape of a single-document command. */
export function commit(ctx: ApplyContext, lane: Lane, mutate: (doc: Y.Doc) => void, extra: Partial<Omit<CommandEffects, 'lanes'>> = {}): CommandResult {
	write(ctx, lane, mutate);
	return { ok: true, duplicate: false, effects: { lanes: [lane], created: extra.created ?? [], mentioned: extra.mentioned ?? [] } };
}

/** A successful command that changed nothing (e.g. archiving an archived frame): nothing to record or broadcast. */
export function unchanged(): CommandResult {
	return { ok: true, duplicate: false, effects: { lanes: [], created: [], mentioned: [] } };
}

/** The person stamp stored on what the actor writes. */
export function personOf(actor: Actor): { userId: string; name: string } {
	return { userId: actor.userId, name: actor.name };
}

/**
 * The mentions worth keeping: unique, project members when the list is known, and never a client in the
 * internal lane (a mention notifies, and a notification must not lead a client to internal content).
 */
export function keepMentions(ctx: ApplyContext, lane: Lane, mentions: readonly string[]): string[] {
	return [...new Set(mentions)].filter((userId) => {
		if (!ctx.members) return true;
		const member = ctx.members.get(userId);
		return member !== undefined && (lane === 'client' || member.role !== 'client');
	});
}
