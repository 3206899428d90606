import type { RoundView } from '../../../../shared/review';

/** The round the banner shows: the most recently opened one (`readReview` lists rounds in opening order). */
export function currentRound(rounds: readonly RoundView[]): RoundView | null {
	return rounds.length > 0 ? rounds[rounds.length - 1]! : null;
}

const MADAGASCAR = 'Indian/Antananarivo';

/** Today's date (`YYYY-MM-DD`) in Madagascar, where due dates are meant. */
export function today(now: Date = new Date(), timeZone = MADAGASCAR): string {
	// en-CA formats dates as YYYY-MM-DD.
	return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A round still in review whose due date (`YYYY-MM-DD`) is before `todayDate`. */
export function isOverdue(round: Pick<RoundView, 'dueDate' | 'status'>, todayDate: string): boolean {
	return round.status === 'in_review' && round.dueDate < todayDate;
}

/** Whether `userId` is a required reviewer of `round`, i.e. whose decision counts. */
export function isReviewer(round: Pick<RoundView, 'reviewers'>, userId: string): boolean {
	return round.reviewers.includes(userId);
}

/** The latest comment a reviewer left with their decision, if any. */
export function latestComment(round: Pick<RoundView, 'decisions'>, reviewerId: string): string | null {
	let latest: RoundView['decisions'][number] | null = null;
	for (const d of round.decisions) if (d.reviewerId === reviewerId && (!latest || d.at >= latest.at)) latest = d;
	return latest?.comment ?? null;
}

/** A reviewer's name as the round recorded it, when they have decided. */
export function reviewerName(round: Pick<RoundView, 'decisions'>, reviewerId: string): string | null {
	return round.decisions.find((d) => d.reviewerId === reviewerId)?.reviewerName ?? null;
}
