import { SEAT_HOLDING_STATUSES, type CohortStatus } from './statuses';

// Seats and whether a cohort takes applications: one rule for bknd's route (which refuses), the public page
// (which shows "complet") and the form (which only offers what bknd would take). No zod: browser code uses it.

/** Seats not yet held: `seats` minus the applications holding one (accepted, enrolled), never below 0. */
export function seatsLeft(seats: number | null | undefined, holdingApplications: number): number {
	const total = typeof seats === 'number' && Number.isFinite(seats) ? Math.max(0, Math.floor(seats)) : 0;
	return Math.max(0, total - Math.max(0, holdingApplications));
}

/** How many of `statuses` hold a seat. */
export function countSeatHolders(statuses: Iterable<string | null | undefined>): number {
	let held = 0;
	for (const status of statuses) if ((SEAT_HOLDING_STATUSES as readonly (string | null | undefined)[]).includes(status)) held++;
	return held;
}

/** What a visitor can do with a cohort: apply (`open`), nothing because it is `full`, or it is not open at all. */
export type CohortAvailability = 'open' | 'full' | Exclude<CohortStatus, 'open'>;

/**
 * A cohort's availability: `open` only when its status is `open` AND a seat is left.
 * @example cohortAvailability({ status: 'open', seatsLeft: 0 }) // "full"
 */
export function cohortAvailability(cohort: { status: CohortStatus; seatsLeft: number }): CohortAvailability {
	if (cohort.status !== 'open') return cohort.status;
	return cohort.seatsLeft > 0 ? 'open' : 'full';
}
