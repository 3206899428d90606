import { commit, keepMentions, newId, personOf, readableLanes, type ApplyContext } from './applyContext';
import type { Actor } from './actor';
import type { CommandOf } from './commands';
import type { Lane } from './lanes';
import { docOf, putEntry, readEntry } from './layout';
import { refuse, type CommandResult } from './outcome';
import { can } from './permissions';
import { reactionKey, type StoredMessage, type StoredThread } from './records';
import { currentVersion } from './versions';

/** How many different emoji one person may put on one message: enough for anyone, not a way to grow the document. */
export const MAX_REACTIONS_PER_USER = 20;

interface FoundThread {
	lane: Lane;
	/** A parsed copy: change it, then `save` it. */
	thread: StoredThread;
}

// A thread the actor may read. In a lane they may not read it is simply not found: a client asking for an
// internal thread id learns nothing, not even that it exists. One lookup per lane: no scan of the threads.
function findThread(ctx: ApplyContext, threadId: string): FoundThread | null {
	for (const lane of readableLanes(ctx.actor)) {
		const thread = readEntry(docOf(ctx.docs, lane), 'threads', threadId);
		if (thread && thread.lane === lane) return { lane, thread };
	}
	return null;
}

function findMessage(found: FoundThread, messageId: string): StoredMessage | null {
	return found.thread.messages.find((m) => m.id === messageId) ?? null;
}

// Writes the thread back whole, as `change` makes it from the parsed copy.
function save(ctx: ApplyContext, found: FoundThread, change: (thread: StoredThread) => StoredThread, extra?: Parameters<typeof commit>[3]): CommandResult {
	const next = change(found.thread);
	return commit(ctx, found.lane, (doc) => putEntry(doc, 'threads', next), extra);
}

function withMessage(thread: StoredThread, messageId: string, change: (message: StoredMessage) => StoredMessage): StoredThread {
	return { ...thread, messages: thread.messages.map((m) => (m.id === messageId ? change(m) : m)) };
}

function authorOf(actor: Actor): StoredMessage['author'] {
	return { userId: actor.userId, name: actor.name, role: actor.role };
}

function newMessage(ctx: ApplyContext, body: string, mentions: string[]): StoredMessage {
	return { id: newId(ctx), author: authorOf(ctx.actor), body, mentions, createdAt: ctx.stamp.at, editedAt: null, deletedAt: null, reactions: {} };
}

const threadGone = () => refuse('not_found', 'This thread no longer exists. Reload the review.');
const messageGone = () => refuse('not_found', 'This message no longer exists. Reload the review.');
const messageDeleted = () => refuse('conflict', 'This message was deleted.');

/** `thread.create`: a new thread on a frame, pinned to the current version of its lane. */
export function applyThreadCreate(ctx: ApplyContext, command: CommandOf<'thread.create'>): CommandResult {
	const { lane } = command;
	if (!can(ctx.actor, 'thread.create', { lane })) return refuse('forbidden', 'You cannot comment in this lane.');
	const frame = readEntry(ctx.docs.client, 'frames', command.frameId);
	if (!frame) return refuse('not_found', 'This frame no longer exists. Reload the review.');
	if (frame.archived) return refuse('invalid', 'This frame is archived: comment on a current frame.');
	const mentions = keepMentions(ctx, lane, command.mentions);
	const message = newMessage(ctx, command.body, mentions);
	const thread: StoredThread = {
		id: newId(ctx),
		lane,
		frameId: frame.id,
		anchor: command.anchor,
		// The version this lane's readers see: a client-lane thread never points at a version hidden from the client.
		versionId: currentVersion(ctx.docs, lane)?.id ?? null,
		status: 'open',
		resolvedBy: null,
		resolvedAt: null,
		reopenedBy: null,
		reopenedAt: null,
		createdBy: authorOf(ctx.actor),
		createdAt: ctx.stamp.at,
		messages: [message]
	};
	return commit(ctx, lane, (doc) => putEntry(doc, 'threads', thread), {
		created: [{ kind: 'thread', id: thread.id }, { kind: 'message', id: message.id }],
		mentioned: mentions
	});
}

/** `thread.reply`: a message appended to a thread (a resolved thread may still be answered). */
export function applyThreadReply(ctx: ApplyContext, command: CommandOf<'thread.reply'>): CommandResult {
	const found = findThread(ctx, command.threadId);
	if (!found) return threadGone();
	if (!can(ctx.actor, 'thread.reply', { lane: found.lane })) return refuse('forbidden', 'You cannot reply in this lane.');
	const mentions = keepMentions(ctx, found.lane, command.mentions);
	const message = newMessage(ctx, command.body, mentions);
	return save(ctx, found, (thread) => ({ ...thread, messages: [...thread.messages, message] }), {
		created: [{ kind: 'message', id: message.id }],
		mentioned: mentions
	});
}

/** `message.edit`: replaces the body and mentions, marking the message as edited. */
export function applyMessageEdit(ctx: ApplyContext, command: CommandOf<'message.edit'>): CommandResult {
	const found = findThread(ctx, command.threadId);
	if (!found) return threadGone();
	const message = findMessage(found, command.messageId);
	if (!message) return messageGone();
	if (!can(ctx.actor, 'message.edit', { lane: found.lane, authorId: message.author.userId })) {
		return refuse('forbidden', 'You can only edit your own messages.');
	}
	if (message.deletedAt) return messageDeleted();
	const mentions = keepMentions(ctx, found.lane, command.mentions);
	return save(ctx, found, (thread) => withMessage(thread, message.id, (m) => ({ ...m, body: command.body, mentions, editedAt: ctx.stamp.at })), {
		mentioned: mentions.filter((m) => !message.mentions.includes(m))
	});
}

/**
 * `message.delete`: empties the message but keeps its place, so the conversation still reads in order.
 * The text is overwritten, not hidden: the thread value it was in is replaced and Yjs garbage-collects the
 * old one, so the text leaves the document.
 */
export function applyMessageDelete(ctx: ApplyContext, command: CommandOf<'message.delete'>): CommandResult {
	const found = findThread(ctx, command.threadId);
	if (!found) return threadGone();
	const message = findMessage(found, command.messageId);
	if (!message) return messageGone();
	if (!can(ctx.actor, 'message.delete', { lane: found.lane, authorId: message.author.userId })) {
		return refuse('forbidden', 'You can only delete your own messages.');
	}
	if (message.deletedAt) return messageDeleted();
	return save(ctx, found, (thread) => withMessage(thread, message.id, (m) => ({ ...m, body: '', mentions: [], deletedAt: ctx.stamp.at, reactions: {} })));
}

/** `thread.resolve`: marks the thread done, stamping who and when. */
export function applyThreadResolve(ctx: ApplyContext, command: CommandOf<'thread.resolve'>): CommandResult {
	const found = findThread(ctx, command.threadId);
	if (!found) return threadGone();
	if (!can(ctx.actor, 'thread.resolve', { lane: found.lane })) return refuse('forbidden', 'You cannot resolve threads in this lane.');
	if (found.thread.status === 'resolved') return refuse('conflict', 'This thread is already resolved.');
	return save(ctx, found, (thread) => ({ ...thread, status: 'resolved', resolvedBy: personOf(ctx.actor), resolvedAt: ctx.stamp.at }));
}

/** `thread.reopen`: same right as resolving; the last resolution's stamps are kept beside the reopening's. */
export function applyThreadReopen(ctx: ApplyContext, command: CommandOf<'thread.reopen'>): CommandResult {
	const found = findThread(ctx, command.threadId);
	if (!found) return threadGone();
	if (!can(ctx.actor, 'thread.resolve', { lane: found.lane })) return refuse('forbidden', 'You cannot reopen threads in this lane.');
	if (found.thread.status === 'open') return refuse('conflict', 'This thread is already open.');
	return save(ctx, found, (thread) => ({ ...thread, status: 'open', reopenedBy: personOf(ctx.actor), reopenedAt: ctx.stamp.at }));
}

/** `reaction.toggle`: adds the actor's emoji to a message, or removes it if already there. */
export function applyReactionToggle(ctx: ApplyContext, command: CommandOf<'reaction.toggle'>): CommandResult {
	const found = findThread(ctx, command.threadId);
	if (!found) return threadGone();
	const message = findMessage(found, command.messageId);
	if (!message) return messageGone();
	if (!can(ctx.actor, 'reaction.toggle', { lane: found.lane })) return refuse('forbidden', 'You cannot react in this lane.');
	if (message.deletedAt) return messageDeleted();
	const key = reactionKey(ctx.actor.userId, command.emoji);
	const adding = !Object.hasOwn(message.reactions, key);
	const mine = Object.keys(message.reactions).filter((k) => k.startsWith(`${ctx.actor.userId}:`)).length;
	if (adding && mine >= MAX_REACTIONS_PER_USER) return refuse('invalid', `At most ${MAX_REACTIONS_PER_USER} reactions per message: remove one first.`);
	// Built with fromEntries, which defines own properties: no key can reach a prototype.
	const reactions = Object.fromEntries(
		adding ? [...Object.entries(message.reactions), [key, ctx.stamp.at]] : Object.entries(message.reactions).filter(([k]) => k !== key)
	);
	return save(ctx, found, (thread) => withMessage(thread, message.id, (m) => ({ ...m, reactions })));
}
