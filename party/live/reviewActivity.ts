import type * as Y from 'yjs';
import type { ActivityRow } from '../../shared/live/events';
import type { Actor, ClientCommand, CreatedRef, Lane } from '../../shared/review';
import { readEntry } from '../../shared/review/layout';

/** One review action as dashboards see it: an activity row, the id of its live event, and when it happened. */
export type ReviewActivity = ActivityRow & { id: string; at: string };

/** What `reviewActivity` reads: the command just applied, what it created, and the documents after it. */
export interface AppliedCommand {
	roomId: string;
	projectId: number;
	docs: { client: Y.Doc; internal: Y.Doc };
	actor: Actor;
	command: ClientCommand;
	created: readonly CreatedRef[];
	at: string;
}

const SUMMARY_CHARS = 120;

/**
 * The activity a command produces, or `null` for commands dashboards do not show (frames, replies, edits,
 * reactions, visibility). Its `lane` is the lane of what it is about, and its summary comes from that same
 * lane only, so internal words never ride in a client-lane event (shared/live/visibility.ts hides internal
 * activity from clients). The id is made from the room and the created entity, or the actor's command id:
 * publishing it again is a duplicate the live room drops.
 */
export function reviewActivity(applied: AppliedCommand): ReviewActivity | null {
	const { command, docs } = applied;
	const createdId = (kind: CreatedRef['kind']) => applied.created.find((c) => c.kind === kind)?.id ?? null;
	const byCommand = `${applied.actor.userId}.${command.commandId}`;
	switch (command.type) {
		case 'thread.create': {
			const threadId = createdId('thread');
			return threadId ? row(applied, threadId, 'thread.opened', command.lane, excerpt(command.body)) : null;
		}
		case 'thread.resolve':
		case 'thread.reopen': {
			const found = find(docs, 'threads', command.threadId);
			if (!found) return null;
			const kind = command.type === 'thread.resolve' ? 'thread.resolved' : 'thread.reopened';
			return row(applied, byCommand, kind, found.lane, excerpt(found.entry.messages[0]?.body ?? ''));
		}
		case 'round.open': {
			const roundId = createdId('round');
			const found = roundId ? find(docs, 'rounds', roundId) : null;
			if (!roundId || !found) return null;
			// The version is read from the round's own document: a client round is on a client-visible version.
			const version = readEntry(found.lane === 'client' ? docs.client : docs.internal, 'versions', found.entry.versionId);
			return row(applied, roundId, 'round.opened', found.lane, excerpt(`${version?.label ?? ''} · due ${found.entry.dueDate}`));
		}
		case 'round.decide': {
			const found = find(docs, 'rounds', command.roundId);
			if (!found) return null;
			return row(applied, byCommand, 'round.decided', found.lane, excerpt(command.comment ? `${command.decision}: ${command.comment}` : command.decision));
		}
		case 'version.add': {
			const versionId = createdId('version');
			return versionId ? row(applied, versionId, 'version.added', command.clientVisible ? 'client' : 'internal', excerpt(command.label)) : null;
		}
		default:
			return null;
	}
}

function row(applied: AppliedCommand, key: string, kind: ActivityRow['kind'], lane: Lane, summary: string): ReviewActivity {
	return {
		id: activityEventId(applied.roomId, key),
		at: applied.at,
		projectId: applied.projectId,
		kind,
		lane,
		actorName: applied.actor.name.slice(0, 200),
		summary
	};
}

/** Where an entry is now: the client document first, then the internal one (its lane is the document it is in). */
function find<C extends 'threads' | 'rounds'>(docs: AppliedCommand['docs'], collection: C, id: string) {
	const client = readEntry(docs.client, collection, id);
	if (client) return { lane: 'client' as Lane, entry: client };
	const internal = readEntry(docs.internal, collection, id);
	return internal ? { lane: 'internal' as Lane, entry: internal } : null;
}

/** `activity:<room>:<key>`, within the 160 characters of a live event id (a long one is shortened with a hash of it). */
export function activityEventId(roomId: string, key: string): string {
	const id = `activity:${roomId}:${key}`;
	return id.length <= 160 ? id : `${id.slice(0, 140)}.${hash(id)}`;
}

function excerpt(text: string): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length <= SUMMARY_CHARS ? line : `${line.slice(0, SUMMARY_CHARS - 1)}…`;
}

/** cyrb53: a fast 53-bit string hash, plenty to keep shortened ids apart. */
function hash(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 2654435761);
		h2 = Math.imul(h2 ^ c, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
