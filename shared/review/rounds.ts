import { commit, newId, personOf, readableLanes, type ApplyContext } from './applyContext';
import type { CommandOf, Decision } from './commands';
import type { Lane } from './lanes';
import { docOf, putEntry, readEntry } from './layout';
import { refuse, type CommandResult } from './outcome';
import { can } from './permissions';
import type { StoredDecision, StoredRound } from './records';
import { currentVersion } from './versions';

export const ROUND_STATUSES = ['in_review', 'approved', 'changes_requested'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

/** One required reviewer's standing: their latest decision, and whether it was made on an older version. */
export interface ReviewerState {
	reviewerId: string;
	decision: Decision | null;
	/** Made on another version than the current one: shown, not counted. */
	stale: boolean;
	at: string | null;
}

/**
 * The derived status of a round. Only each reviewer's latest decision counts, and only if made on
 * `currentVersionId`: any counted change request wins, then all required reviewers approving; else in review.
 * @example roundStatus(round, currentVersion(docs, 'client')?.id ?? null).status === 'approved'
 */
export function roundStatus(
	round: Pick<StoredRound, 'reviewers' | 'decisions'>,
	currentVersionId: string | null
): { status: RoundStatus; reviewers: ReviewerState[] } {
	const latest = new Map<string, StoredDecision>();
	for (const decision of round.decisions) {
		// Latest by time; on equal times the later entry of the history wins (it was appended after).
		const previous = latest.get(decision.reviewerId);
		if (!previous || decision.at >= previous.at) latest.set(decision.reviewerId, decision);
	}
	const reviewers = [...new Set(round.reviewers)].map((reviewerId): ReviewerState => {
		const decision = latest.get(reviewerId);
		if (!decision) return { reviewerId, decision: null, stale: false, at: null };
		return { reviewerId, decision: decision.decision, stale: decision.versionId !== currentVersionId, at: decision.at };
	});
	const counted = reviewers.filter((r) => r.decision !== null && !r.stale);
	const status: RoundStatus = counted.some((r) => r.decision === 'changes_requested')
		? 'changes_requested'
		: reviewers.length > 0 && counted.length === reviewers.length
			? 'approved'
			: 'in_review';
	return { status, reviewers };
}

/**
 * `round.open`: asks reviewers to decide on the current version. A round on a client-visible version is a
 * client round (client doc); on an internal version, an internal round, which clients can neither see nor join.
 */
export function applyRoundOpen(ctx: ApplyContext, command: CommandOf<'round.open'>): CommandResult {
	if (!can(ctx.actor, 'round.open')) return refuse('forbidden', 'Only the agency opens review rounds.');
	const lane: Lane | null = readEntry(ctx.docs.client, 'versions', command.versionId)
		? 'client'
		: readEntry(ctx.docs.internal, 'versions', command.versionId)
			? 'internal'
			: null;
	if (!lane) return refuse('not_found', 'This version no longer exists. Reload the review.');
	const current = currentVersion(ctx.docs, lane);
	if (current?.id !== command.versionId) {
		return refuse('conflict', `A newer version exists${current ? ` (${current.label})` : ''}: open the round on it.`);
	}
	const reviewers = [...new Set(command.reviewers)];
	if (ctx.members) {
		const stranger = reviewers.find((id) => !ctx.members!.has(id));
		if (stranger) return refuse('invalid', `Reviewer ${stranger} is not a member of this project.`);
		if (lane === 'internal' && reviewers.some((id) => ctx.members!.get(id)?.role === 'client')) {
			return refuse('invalid', 'This version is hidden from the client: show it first, or choose reviewers from the agency and partners.');
		}
	}
	const round: StoredRound = {
		id: newId(ctx),
		lane,
		versionId: command.versionId,
		reviewers,
		dueDate: command.dueDate,
		openedBy: personOf(ctx.actor),
		openedAt: ctx.stamp.at,
		decisions: []
	};
	return commit(ctx, lane, (doc) => putEntry(doc, 'rounds', round), { created: [{ kind: 'round', id: round.id }] });
}

/** `round.decide`: appends the reviewer's decision to the round's history, tied to the version they see now. */
export function applyRoundDecide(ctx: ApplyContext, command: CommandOf<'round.decide'>): CommandResult {
	for (const lane of readableLanes(ctx.actor)) {
		const round = readEntry(docOf(ctx.docs, lane), 'rounds', command.roundId);
		if (!round) continue;
		if (!can(ctx.actor, 'round.decide', { reviewers: round.reviewers })) {
			return refuse('forbidden', 'Only the reviewers of this round decide on it.');
		}
		const decision: StoredDecision = {
			reviewerId: ctx.actor.userId,
			reviewerName: ctx.actor.name,
			decision: command.decision,
			comment: command.comment ? command.comment : null,
			versionId: currentVersion(ctx.docs, lane)?.id ?? null,
			at: ctx.stamp.at
		};
		return commit(ctx, lane, (doc) => putEntry(doc, 'rounds', { ...round, decisions: [...round.decisions, decision] }));
	}
	return refuse('not_found', 'This review round no longer exists. Reload the review.');
}
