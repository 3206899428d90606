import { describe, expect, it } from 'vitest';
import { fromSnapshot, type Row } from './dashboardState';
import { countByStatus, isLate, leadEstimate, metricSeries, pipeline, projectViews, roi, tenantHealth, todayInMadagascar } from './dashboardViews';

const today = '2026-01-15';
const projects: Row[] = [
	{ id: 1, clients_id: 1, title: 'A', status: 'in_progress', progress: 60, due_date: '2026-02-27', budget_mga: 45_000_000 },
	{ id: 2, clients_id: 1, title: 'B', status: 'review', progress: 130, due_date: '2025-12-19' },
	{ id: 3, clients_id: 1, title: 'C', status: 'completed', progress: 100, due_date: '2025-07-25' },
	{ id: 4, clients_id: 2, title: 'D', status: 'on_hold', progress: null, due_date: null }
];
const metric = (id: number, key: string, value: number, date: string, target: number | null = null): Row => ({ id, projects_id: 1, key, value, target, unit: key === 'hectares_covered' ? 'ha' : null, date });

describe('dashboard views', () => {
	it('DASH-V1 a project is late when its due date has passed and it is not finished', () => {
		expect(isLate({ dueDate: '2025-12-19', status: 'review' }, today)).toBe(true);
		expect(isLate({ dueDate: '2026-01-15', status: 'review' }, today)).toBe(false);
		expect(isLate({ dueDate: '2025-07-25', status: 'completed' }, today)).toBe(false);
		expect(isLate({ dueDate: '2025-07-25T00:00:00.000Z', status: 'cancelled' }, today)).toBe(false);
		expect(isLate({ dueDate: null, status: 'planning' }, today)).toBe(false);
		expect(todayInMadagascar(Date.UTC(2026, 0, 14, 22, 30))).toBe('2026-01-15');
	});

	it('DASH-V2 projects by due date with clamped progress, and counts by status in workflow order', () => {
		const views = projectViews(fromSnapshot({ rows: { projects } }), today);
		expect(views.map((p) => p.id)).toEqual([3, 2, 1, 4]);
		expect(views.find((p) => p.id === 2)).toMatchObject({ progress: 100, late: true });
		expect(views.find((p) => p.id === 4)!.progress).toBe(0);
		expect(projectViews(fromSnapshot({ rows: { projects } }), today, 2).map((p) => p.id)).toEqual([4]);
		const counts = countByStatus(views);
		expect(counts.map((c) => c.status)).toEqual(['intake', 'planning', 'in_progress', 'review', 'completed', 'on_hold', 'cancelled']);
		expect(counts.filter((c) => c.count > 0)).toEqual([
			{ status: 'in_progress', count: 1 },
			{ status: 'review', count: 1 },
			{ status: 'completed', count: 1 },
			{ status: 'on_hold', count: 1 }
		]);
	});

	it('DASH-V3 metric series are ordered, one point per date, with the latest target; ROI divides the budget by outcomes', () => {
		const state = fromSnapshot({
			rows: {
				project_metrics: [
					metric(1, 'farmers_onboarded', 40, '2025-10-01', 120),
					metric(2, 'farmers_onboarded', 90, '2025-12-01', 120),
					metric(3, 'hectares_covered', 12, '2025-12-01', 50),
					metric(4, 'farmers_onboarded', 75, '2025-11-01'),
					metric(5, 'pilot_sites_active', 0, '2025-12-01', 3),
					{ ...metric(6, 'farmers_onboarded', 99, '2025-12-01'), projects_id: 2 }
				]
			}
		});
		const series = metricSeries(state, 1);
		expect(series.map((s) => s.key)).toEqual(['farmers_onboarded', 'hectares_covered', 'pilot_sites_active']);
		expect(series[0]).toMatchObject({ target: 120, latest: 90, points: [{ date: '2025-10-01', value: 40 }, { date: '2025-11-01', value: 75 }, { date: '2025-12-01', value: 90 }] });
		const lines = roi(45_000_000, series);
		expect(lines[0]).toMatchObject({ key: 'farmers_onboarded', costPerUnit: 500_000, costPerTargetUnit: 375_000 });
		expect(lines.find((l) => l.key === 'pilot_sites_active')).toMatchObject({ costPerUnit: null, costPerTargetUnit: 15_000_000 });
		expect(roi(null, series)).toEqual([]);
	});

	it('DASH-V4 the pipeline sums lead estimates by status and counts leads without one', () => {
		const state = fromSnapshot({
			rows: {
				leads: [
					{ id: 1, status: 'qualified', estimate_mga: 60_000_000 },
					{ id: 2, status: 'new', estimate_mga: 8_000_000 },
					{ id: 3, status: 'won' },
					{ id: 4, status: 'new', estimate_mga: null }
				]
			}
		});
		const lines = pipeline(state);
		expect(lines.find((l) => l.status === 'new')).toEqual({ status: 'new', count: 2, estimated: 1, valueMga: 8_000_000 });
		expect(lines.find((l) => l.status === 'qualified')!.valueMga).toBe(60_000_000);
		expect(lines.find((l) => l.status === 'won')).toEqual({ status: 'won', count: 1, estimated: 0, valueMga: 0 });
		expect(leadEstimate({ id: 5 })).toBeNull();
	});

	it('DASH-V5 tenant health: late projects first, then open rounds; last activity from writes and activity', () => {
		const state = fromSnapshot({
			rows: {
				clients: [{ id: 1, slug: 'ferme-verte', name: 'Ferme Verte' }, { id: 2, slug: 'atelier-sud', name: 'Atelier Sud' }, { id: 5, slug: 'calme', name: 'Calme' }],
				projects: [...projects.slice(0, 3).map((p) => ({ ...p, updated_at: '2026-01-10T08:00:00.000Z' })), { ...projects[3]!, tenant: 'atelier-sud' }]
			}
		});
		const lines = tenantHealth(state, today, { 'atelier-sud': 2 });
		expect(lines.map((l) => [l.slug, l.level, l.late, l.openRounds])).toEqual([
			['ferme-verte', 'late', 1, 0],
			['atelier-sud', 'watch', 0, 2],
			['calme', 'ok', 0, 0]
		]);
		expect(lines[0]!.lastActivity).toBe('2026-01-10T08:00:00.000Z');
		expect(tenantHealth(state, today, null)[1]!.openRounds).toBeNull();
	});
});
