import type * as Y from 'yjs';
import type { Actor } from './actor';
import { readableLanes } from './applyContext';
import { byFrameOrder } from './frames';
import type { Lane } from './lanes';
import { readEntries } from './layout';
import { reviewSchemaVersion } from './migrate';
import { parseReactionKey, type StoredFrame, type StoredMessage, type StoredRound, type StoredThread, type StoredVersion } from './records';
import { roundStatus, type ReviewerState, type RoundStatus } from './rounds';
import { currentVersion, listVersions } from './versions';

export type FrameView = StoredFrame;
export type VersionView = StoredVersion & { current: boolean };
/** A message as shown: reactions grouped by emoji, each with its people in the order they reacted. */
export type MessageView = Omit<StoredMessage, 'reactions'> & { reactions: Record<string, string[]> };
/** A thread as shown; `pin` numbers the threads of one frame and lane from 1 in creation order. */
export type ThreadView = Omit<StoredThread, 'messages'> & { pin: number; messages: MessageView[] };
export type RoundView = StoredRound & {
	/** The document the round is in now: `internal` for internal rounds and for client rounds whose version is hidden. */
	location: Lane;
	currentVersionId: string | null;
	status: RoundStatus;
	reviewerStates: ReviewerState[];
};

/** Everything the review UI renders for one viewer, as plain JSON. */
export interface ReviewView {
	schemaVersion: number;
	lanes: Lane[];
	currentVersionId: string | null;
	/** Active frames in order, then archived ones in order. */
	frames: FrameView[];
	/** Newest first. */
	versions: VersionView[];
	/** In creation order. */
	threads: ThreadView[];
	/** In opening order. */
	rounds: RoundView[];
}

/**
 * The review as `viewer` may see it. For a viewer who may not read the internal lane the internal document
 * is never touched, not even passed along, so nothing of it can reach a client's view by mistake.
 */
export function readReview(docs: { client: Y.Doc; internal?: Y.Doc }, viewer: Actor): ReviewView {
	const lanes = readableLanes(viewer);
	const client = lanes.includes('client') ? docs.client : undefined;
	const internal = lanes.includes('internal') ? docs.internal : undefined;
	if (!client) return { schemaVersion: reviewSchemaVersion(docs.client), lanes: [], currentVersionId: null, frames: [], versions: [], threads: [], rounds: [] };
	const visible = { client, internal };
	const versions = listVersions(client, internal);
	const current = versions[0] ?? null;
	const frames = readEntries(client, 'frames').sort(byFrameOrder);
	return {
		schemaVersion: reviewSchemaVersion(client),
		lanes: internal ? ['client', 'internal'] : ['client'],
		currentVersionId: current?.id ?? null,
		frames: [...frames.filter((f) => !f.archived), ...frames.filter((f) => f.archived)],
		versions: versions.map((v) => ({ ...v, current: v.id === current?.id })),
		threads: numberPins([...laneThreads(client, 'client'), ...(internal ? laneThreads(internal, 'internal') : [])]),
		rounds: readRounds(visible)
	};
}

function laneThreads(doc: Y.Doc, lane: Lane): StoredThread[] {
	// A thread claiming another lane than its document's is malformed; skipping it keeps lanes and documents one-to-one.
	return readEntries(doc, 'threads').filter((t) => t.lane === lane);
}

const byCreation = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
	a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

// Pins count per frame and per lane, so a client-lane pin has the same number for the client and the agency.
function numberPins(threads: StoredThread[]): ThreadView[] {
	const counters = new Map<string, number>();
	return threads.sort(byCreation).map(({ messages, ...thread }) => {
		const key = `${thread.lane}/${thread.frameId}`;
		const pin = (counters.get(key) ?? 0) + 1;
		counters.set(key, pin);
		return { ...thread, pin, messages: messages.map(messageView) };
	});
}

function messageView({ reactions, ...message }: StoredMessage): MessageView {
	const entries = Object.entries(reactions)
		.map(([key, at]) => ({ ...parseReactionKey(key), at }))
		.filter((r): r is { userId: string; emoji: string; at: string } => r.userId !== undefined)
		.sort((a, b) => (a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
	const byEmoji = new Map<string, string[]>();
	for (const r of entries) byEmoji.set(r.emoji, [...(byEmoji.get(r.emoji) ?? []), r.userId]);
	// fromEntries defines own properties, so an odd emoji key can never reach a prototype.
	return { ...message, reactions: Object.fromEntries(byEmoji) };
}

function readRounds(docs: { client: Y.Doc; internal: Y.Doc | undefined }): RoundView[] {
	const byId = new Map<string, RoundView>();
	const add = (doc: Y.Doc, location: Lane) => {
		const currentVersionId = currentVersion(docs, location)?.id ?? null;
		for (const round of readEntries(doc, 'rounds')) {
			const { status, reviewers } = roundStatus(round, currentVersionId);
			byId.set(round.id, { ...round, location, currentVersionId, status, reviewerStates: reviewers });
		}
	};
	// Client copy last so it wins, as for versions, should a round ever be in both documents.
	if (docs.internal) add(docs.internal, 'internal');
	add(docs.client, 'client');
	return [...byId.values()].sort((a, b) => byCreation({ createdAt: a.openedAt, id: a.id }, { createdAt: b.openedAt, id: b.id }));
}
