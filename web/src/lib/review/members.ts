import type { Role } from '../../../../shared/roles';
import type { Lane, ReviewView } from '../../../../shared/review';

/** A person of the project, as the mention list and the reviewer picker show them. */
export interface Member {
	userId: string;
	name: string;
	role: Role;
}

/** Where the people of a project can be learnt from in the browser. */
export interface MemberSources {
	/** The full list from the server (bknd's members route, for every role); `null` when bknd answered an error. */
	listed: readonly Member[] | null;
	/** Everyone in the room now (presence). */
	present: readonly Member[];
	view: Pick<ReviewView, 'threads'> | null;
}

/**
 * The project's members as far as this viewer can know them. Normally the complete list from the server
 * (bknd's members route answers every role that may open the project, $lib/server/members.ts). Only when
 * bknd answered an error is it `null`, and this falls back to who is (or was) around: the people present in
 * the room and the authors of the threads the viewer can read. Someone who never came and never wrote cannot
 * be mentioned until the list loads again (next page load).
 */
export function knownMembers({ listed, present, view }: MemberSources): Member[] {
	const byId = new Map<string, Member>();
	const add = (m: Member) => {
		if (!byId.has(m.userId)) byId.set(m.userId, { userId: m.userId, name: m.name, role: m.role });
	};
	for (const m of listed ?? []) add(m);
	if (listed === null) {
		for (const m of present) add(m);
		for (const thread of view?.threads ?? []) for (const message of thread.messages) add(message.author);
	}
	return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Who may be mentioned in a message of `lane` by `selfId`: not oneself, and never a client in the internal
 * lane (the room would drop the mention anyway: a notification must not lead a client to internal content).
 */
export function mentionable(members: readonly Member[], lane: Lane, selfId: string): Member[] {
	return members.filter((m) => m.userId !== selfId && (lane === 'client' || m.role !== 'client'));
}

/** Names by user id, for showing mentions and reviewers; later sources do not override earlier ones. */
export function nameIndex(...lists: ReadonlyArray<ReadonlyArray<{ userId: string; name: string }>>): Map<string, string> {
	const names = new Map<string, string>();
	for (const list of lists) for (const p of list) if (!names.has(p.userId)) names.set(p.userId, p.name);
	return names;
}
