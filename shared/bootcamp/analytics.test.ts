import { describe, expect, it } from 'vitest';
import { bootcampAnalytics, type ApplicationFacts } from './analytics';

const apps = (cohortId: number, counts: Record<string, number>): ApplicationFacts[] =>
	Object.entries(counts).flatMap(([status, n]) => Array.from({ length: n }, () => ({ cohortId, status })));

describe('bootcamp analytics', () => {
	it('BOOT-STATS-1 counts, acceptance, seats filled and completion per cohort', () => {
		const [stats] = bootcampAnalytics(
			[{ id: 1, title: 'Cohorte 1', status: 'running', startDate: '2026-09-07', seats: 20 }],
			apps(1, { received: 2, accepted: 3, waitlisted: 1, rejected: 2, enrolled: 4, completed: 2, dropped: 1 })
		);
		expect(stats).toMatchObject({ cohortId: 1, applications: 15, seats: 20, seatsFilled: 7 });
		// Admitted: 3 + 4 + 2 + 1 = 10; decided: 10 + 2 rejected (received and waitlisted are not decided).
		expect(stats!.acceptanceRate).toBeCloseTo(10 / 12);
		expect(stats!.completionRate).toBeCloseTo(2 / 3);
		expect(stats!.byStatus).toEqual({ received: 2, accepted: 3, waitlisted: 1, rejected: 2, enrolled: 4, completed: 2, dropped: 1 });
	});

	it('BOOT-STATS-2 rates are null, not 0 or NaN, when nothing is decided or finished', () => {
		const [stats] = bootcampAnalytics([{ id: 5, title: 'Nouvelle', status: 'open', startDate: '2027-02-01', seats: 20 }], apps(5, { received: 3, waitlisted: 1 }));
		expect(stats).toMatchObject({ applications: 4, acceptanceRate: null, completionRate: null, seatsFilled: 0 });
		const [empty] = bootcampAnalytics([{ id: 6, title: 'Vide', status: 'open', startDate: null, seats: null }], []);
		expect(empty).toMatchObject({ applications: 0, seats: 0, acceptanceRate: null, completionRate: null });
	});

	it('BOOT-STATS-3 a cohort only counts its own applications; unknown cohorts and statuses do not leak', () => {
		const stats = bootcampAnalytics(
			[
				{ id: 1, title: 'A', status: 'finished', startDate: '2026-02-02', seats: 10 },
				{ id: 2, title: 'B', status: 'open', startDate: '2027-02-01', seats: 20 }
			],
			[...apps(1, { completed: 4 }), ...apps(2, { received: 1 }), ...apps(99, { accepted: 7 }), { cohortId: null, status: 'accepted' }, { cohortId: 2, status: 'bizarre' }]
		);
		const byId = new Map(stats.map((s) => [s.cohortId, s]));
		expect(byId.get(1)).toMatchObject({ applications: 4, completionRate: 1, seatsFilled: 0 });
		// The odd status counts as an application, in no rate.
		expect(byId.get(2)).toMatchObject({ applications: 2, acceptanceRate: null, seatsFilled: 0 });
		expect(stats.reduce((n, s) => n + s.applications, 0)).toBe(6);
	});

	it('BOOT-STATS-4 newest cohort first, undated last', () => {
		const stats = bootcampAnalytics(
			[
				{ id: 1, title: 'old', status: 'finished', startDate: '2026-02-02', seats: 10 },
				{ id: 2, title: 'undated', status: 'closed', startDate: null, seats: 10 },
				{ id: 3, title: 'new', status: 'open', startDate: '2027-02-01', seats: 10 },
				{ id: 4, title: 'mid', status: 'running', startDate: '2026-09-07', seats: 10 }
			],
			[]
		);
		expect(stats.map((s) => s.title)).toEqual(['new', 'mid', 'old', 'undated']);
	});
});
