import type * as Y from 'yjs';
import type { Actor, ReviewMember, Stamp } from './actor';
import { isId } from './ids';
import type { Lane, ReviewDocs } from './lanes';
import { docOf, reviewMaps, type ReviewMaps } from './layout';
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

/** The key of a command in the `applied` map: per user, so one person's command id never shadows another's. */
export function appliedKey(userId: string, commandId: string): string {
	return `${userId}/${commandId}`;
}

/**
 * Runs `mutate` in one transaction on the document of `lane`, with the command as origin. When `effects` is
 * given the command is also recorded as applied in the same transaction, so the change and its record are
 * persisted and synced together or not at all.
 */
export function write(ctx: ApplyContext, lane: Lane, mutate: (maps: ReviewMaps, doc: Y.Doc) => void, effects?: CommandEffects): void {
	const doc = docOf(ctx.docs, lane);
	const origin: ReviewOrigin = { source: 'review-command', commandId: ctx.commandId, userId: ctx.actor.userId, at: ctx.stamp.at };
	doc.transact(() => {
		const maps = reviewMaps(doc);
		mutate(maps, doc);
		// A copy: Yjs keeps a reference to plain values and encodes them later, so the caller must not share it.
		if (effects) maps.applied.set(appliedKey(ctx.actor.userId, ctx.commandId), { at: ctx.stamp.at, effects: JSON.parse(JSON.stringify(effects)) });
	}, origin);
}

/** Writes to one lane and reports it: the common shape of a single-document command. */
export function commit(ctx: ApplyContext, lane: Lane, mutate: (maps: ReviewMaps) => void, extra: Partial<Omit<CommandEffects, 'lanes'>> = {}): CommandResult {
	const effects: CommandEffects = { lanes: [lane], created: extra.created ?? [], mentioned: extra.mentioned ?? [] };
	write(ctx, lane, mutate, effects);
	return { ok: true, duplicate: false, effects };
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
