import type { Actor } from './actor';
import type { Lane } from './lanes';

/** What each action needs to know besides the actor; `undefined` when the action depends on the role alone. */
export interface PermissionContexts {
	/** Add, rename, move, archive frames. */
	'frame.manage': undefined;
	/** Add versions, show or hide them to the client. */
	'version.manage': undefined;
	'version.editNotes': undefined;
	'lane.read': { lane: Lane };
	'thread.create': { lane: Lane };
	'thread.reply': { lane: Lane };
	'thread.resolve': { lane: Lane };
	'reaction.toggle': { lane: Lane };
	'message.edit': { lane: Lane; authorId: string };
	'message.delete': { lane: Lane; authorId: string };
	'round.open': undefined;
	'round.decide': { reviewers: readonly string[] };
}
export type Action = keyof PermissionContexts;
type ContextArgs<A extends Action> = PermissionContexts[A] extends undefined ? [] : [context: PermissionContexts[A]];

// The five kinds of people the table below distinguishes. A partner without a live share gets nothing: fail closed.
type Profile = 'admin' | 'designer' | 'partnerEditor' | 'partnerViewer' | 'client' | 'none';

function profileOf(actor: Actor): Profile {
	switch (actor.role) {
		case 'admin':
		case 'designer':
		case 'client':
			return actor.role;
		case 'partner':
			return actor.partnerAccess === 'editor' ? 'partnerEditor' : actor.partnerAccess === 'viewer' ? 'partnerViewer' : 'none';
		default:
			return assertNever(actor.role);
	}
}

/**
 * Whether `actor` may do `action` (rules PERM-1 to PERM-7, one test row per cell in permissions.test.ts).
 * The single place review permissions are decided; `applyCommand` calls it itself.
 * @example can(actor, 'thread.resolve', { lane: 'internal' })
 */
export function can<A extends Action>(actor: Actor, action: A, ...[context]: ContextArgs<A>): boolean {
	const who = profileOf(actor);
	if (who === 'none') return false;
	const staff = who === 'admin' || who === 'designer';
	const reads = (lane: Lane) => lane === 'client' || who !== 'client';
	const a = action as Action;
	switch (a) {
		case 'frame.manage':
		case 'version.manage':
		case 'round.open':
			return staff;
		case 'version.editNotes':
			return staff || who === 'partnerEditor';
		case 'lane.read':
		case 'thread.create':
		case 'thread.reply':
			return reads((context as PermissionContexts[typeof a]).lane);
		case 'thread.resolve':
			// Clients do not resolve: the issue gives them comment, reply, react and decide only; the agency closes threads.
			return reads((context as PermissionContexts[typeof a]).lane) && (staff || who === 'partnerEditor');
		case 'reaction.toggle':
			return reads((context as PermissionContexts[typeof a]).lane) && who !== 'partnerViewer';
		case 'message.edit':
		case 'message.delete': {
			// Anyone edits or deletes only their own messages; admins any (moderation).
			const { lane, authorId } = context as PermissionContexts[typeof a];
			return reads(lane) && (who === 'admin' || authorId === actor.userId);
		}
		case 'round.decide':
			// Staff may always record a decision; only required reviewers' decisions count (see roundStatus).
			return staff || (context as PermissionContexts[typeof a]).reviewers.includes(actor.userId);
		default:
			return assertNever(a);
	}
}

function assertNever(value: never): never {
	throw new Error(`unhandled case ${String(value)}`);
}
