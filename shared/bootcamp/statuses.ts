// The bootcamp's two lifecycles, shared by bknd's routes and seed, the public page and the staff analytics.
// No zod here: the staff dashboard imports this module into the browser bundle.

/** A cohort: `open` takes applications; `closed` (full or paused), `running` and `finished` do not. */
export const COHORT_STATUSES = ['open', 'closed', 'running', 'finished'] as const;
export type CohortStatus = (typeof COHORT_STATUSES)[number];

/**
 * An application: received → accepted | waitlisted | rejected; accepted → enrolled → completed | dropped.
 * Only the web app's public route writes `received`; staff move it on through bknd's REST API.
 */
export const APPLICATION_STATUSES = ['received', 'accepted', 'waitlisted', 'rejected', 'enrolled', 'completed', 'dropped'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** The statuses that hold one of a cohort's seats (seats left = seats − these). */
export const SEAT_HOLDING_STATUSES: readonly ApplicationStatus[] = ['accepted', 'enrolled'];

export function isCohortStatus(value: unknown): value is CohortStatus {
	return typeof value === 'string' && (COHORT_STATUSES as readonly string[]).includes(value);
}
