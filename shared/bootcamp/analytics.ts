import { APPLICATION_STATUSES, type ApplicationStatus, type CohortStatus } from './statuses';

// The staff dashboard's bootcamp figures, per cohort. Pure: the web server reads cohorts and applications
// from bknd with the staff member's token and hands them here. No zod: see statuses.ts.
//
// - applications: every application of the cohort, whatever its status;
// - acceptance rate: accepted + enrolled + completed + dropped (everyone ever let in) over the decided ones,
//   that is those plus `rejected`. `received` and `waitlisted` are not decided yet; null when none is decided;
// - seats filled: accepted + enrolled (the seats held now, as on the public page) against `seats`;
// - completion rate: completed over completed + dropped (those who reached the end either way); null before.

export interface CohortFacts {
	id: number;
	title: string;
	status: CohortStatus | null;
	startDate: string | null;
	seats: number | null;
}

export interface ApplicationFacts {
	cohortId: number | null;
	status: string | null;
}

export interface CohortAnalytics {
	cohortId: number;
	title: string;
	status: CohortStatus | null;
	startDate: string | null;
	seats: number;
	applications: number;
	/** Applications per known status; those with another status only count in `applications`. */
	byStatus: Record<ApplicationStatus, number>;
	/** 0..1, or null when nothing is decided. */
	acceptanceRate: number | null;
	seatsFilled: number;
	/** 0..1, or null when nobody has completed or dropped. */
	completionRate: number | null;
}

const ADMITTED: readonly ApplicationStatus[] = ['accepted', 'enrolled', 'completed', 'dropped'];
const HOLDING: readonly ApplicationStatus[] = ['accepted', 'enrolled'];
const FINISHED: readonly ApplicationStatus[] = ['completed', 'dropped'];

const sum = (counts: Record<ApplicationStatus, number>, statuses: readonly ApplicationStatus[]) => statuses.reduce((total, s) => total + counts[s], 0);
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function emptyCounts(): Record<ApplicationStatus, number> {
	return Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, 0])) as Record<ApplicationStatus, number>;
}

/**
 * The figures of every cohort, newest start first (cohorts without a date last). Applications of an unknown
 * cohort are left out.
 * @example bootcampAnalytics([{ id: 1, title: 'A', status: 'finished', startDate: '2026-02-02', seats: 10 }], [{ cohortId: 1, status: 'completed' }])[0].completionRate // 1
 */
export function bootcampAnalytics(cohorts: readonly CohortFacts[], applications: readonly ApplicationFacts[]): CohortAnalytics[] {
	const counts = new Map<number, { total: number; byStatus: Record<ApplicationStatus, number> }>();
	for (const cohort of cohorts) counts.set(cohort.id, { total: 0, byStatus: emptyCounts() });
	for (const application of applications) {
		const entry = application.cohortId === null ? undefined : counts.get(application.cohortId);
		if (!entry) continue;
		entry.total++;
		const status = application.status as ApplicationStatus;
		if (Object.hasOwn(entry.byStatus, status)) entry.byStatus[status]++;
	}

	return cohorts
		.map((cohort): CohortAnalytics => {
			const { total, byStatus } = counts.get(cohort.id)!;
			const admitted = sum(byStatus, ADMITTED);
			const finished = sum(byStatus, FINISHED);
			return {
				cohortId: cohort.id,
				title: cohort.title,
				status: cohort.status,
				startDate: cohort.startDate,
				seats: Math.max(0, cohort.seats ?? 0),
				applications: total,
				byStatus,
				acceptanceRate: ratio(admitted, admitted + byStatus.rejected),
				seatsFilled: sum(byStatus, HOLDING),
				completionRate: ratio(byStatus.completed, finished)
			};
		})
		.sort((a, b) => byStartDesc(a.startDate, b.startDate) || a.cohortId - b.cohortId);
}

function byStartDesc(a: string | null, b: string | null): number {
	if (a === b) return 0;
	if (a === null) return 1;
	if (b === null) return -1;
	return a < b ? 1 : -1;
}
