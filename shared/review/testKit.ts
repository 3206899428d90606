import * as Y from 'yjs';
import type { Actor, ReviewMember, Stamp } from './actor';
import type { ReviewDocs } from './lanes';
import { applyCommand } from './applyCommand';
import type { ClientCommand } from './commands';
import { migrateReviewDoc } from './migrate';
import type { CommandResult } from './outcome';
import { readReview } from './readReview';

// Helpers for the review tests (and later the room's): deterministic actors, stamps, documents and randomness.

/** A small seeded PRNG (mulberry32): the same seed gives the same run, so a failing fuzz seed can be replayed. */
export function prng(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		/** An integer in [0, n). */
		int: (n: number) => Math.floor(next() * n),
		/** One element of a non-empty list. */
		pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
		chance: (p: number) => next() < p
	};
}
export type Prng = ReturnType<typeof prng>;

/** One of each kind of person the permission table knows, plus a second client and a partner without a share. */
const PEOPLE = {
	admin: { userId: 'u-admin', name: 'Aina (admin)', role: 'admin', partnerAccess: null },
	designer: { userId: 'u-designer', name: 'Dera (designer)', role: 'designer', partnerAccess: null },
	designer2: { userId: 'u-designer2', name: 'Haja (designer)', role: 'designer', partnerAccess: null },
	editor: { userId: 'u-editor', name: 'Erica (partner editor)', role: 'partner', partnerAccess: 'editor' },
	viewer: { userId: 'u-viewer', name: 'Vola (partner viewer)', role: 'partner', partnerAccess: 'viewer' },
	client: { userId: 'u-client', name: 'Fara (client)', role: 'client', partnerAccess: null },
	client2: { userId: 'u-client2', name: 'Tiana (client)', role: 'client', partnerAccess: null },
	unshared: { userId: 'u-unshared', name: 'Noro (partner, share revoked)', role: 'partner', partnerAccess: null }
} as const satisfies Record<string, Actor>;
export const ACTORS: { readonly [K in keyof typeof PEOPLE]: Actor } = PEOPLE;

/** The members of the test project (everyone but the unshared partner). */
export const MEMBERS: ReviewMember[] = Object.values(ACTORS)
	.filter((a) => a.userId !== ACTORS.unshared.userId)
	.map((a) => ({ userId: a.userId, role: a.role }));

/** Fresh, migrated review documents with a ledger, as a room has them; `clientId` seeds Yjs client ids so merges are reproducible. */
export function newDocs(clientId = 1): Required<ReviewDocs> {
	const docs = { client: new Y.Doc(), internal: new Y.Doc(), ledger: new Y.Doc() };
	docs.client.clientID = clientId;
	docs.internal.clientID = clientId + 1;
	docs.ledger.clientID = clientId + 2;
	migrateReviewDoc(docs.client);
	migrateReviewDoc(docs.internal);
	return docs;
}

/** A stamp factory with a clock that advances one second per stamp and ids `<prefix>1`, `<prefix>2`, … */
export function stamps(prefix = 'id', start = Date.UTC(2026, 10, 26, 9, 0, 0)) {
	let tick = 0;
	let ids = 0;
	return (actor: Actor): Stamp => ({ actor, at: new Date(start + 1000 * tick++).toISOString(), newId: () => `${prefix}${++ids}` });
}

/** A command without its id: the harness numbers commands itself unless one is given. */
export type DraftCommand = ClientCommand extends infer C ? (C extends ClientCommand ? Omit<C, 'commandId'> & { commandId?: string } : never) : never;

/** Documents plus a clock, with shorthands to run commands as someone and read the view. */
export function reviewHarness(options: { members?: ReviewMember[] | null; clientId?: number } = {}) {
	const docs = newDocs(options.clientId);
	const stamp = stamps();
	const members = options.members === undefined ? MEMBERS : (options.members ?? undefined);
	let count = 0;
	const run = (actor: Actor, command: DraftCommand | Record<string, unknown>): CommandResult =>
		applyCommand(docs, { commandId: `cmd${++count}`, ...command }, stamp(actor), members);
	/** Runs a command that must succeed and returns the first id it created (or ''). */
	const ok = (actor: Actor, command: DraftCommand): string => {
		const result = run(actor, command);
		if (!result.ok) throw new Error(`${command.type} refused: ${result.code} ${result.message}`);
		return result.effects.created[0]?.id ?? '';
	};
	return { docs, run, ok, view: (actor: Actor) => readReview(docs, actor) };
}
