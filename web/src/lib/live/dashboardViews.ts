import type { DashboardState, Row } from './dashboardState';

// What dashboards show, derived from a `DashboardState`: pure functions, unit-tested, no Svelte.

/** Project statuses in workflow order (a copy of shared/entities.ts PROJECT_STATUSES, which would pull zod into the page). */
export const PROJECT_STATUS_ORDER = ['intake', 'planning', 'in_progress', 'review', 'completed', 'on_hold', 'cancelled'] as const;
export const LEAD_STATUS_ORDER = ['new', 'qualified', 'proposal', 'won', 'lost'] as const;
/** A project in one of these is never late, whatever its due date. */
const FINISHED = new Set(['completed', 'cancelled']);

/** A project as dashboards show it. */
export interface ProjectView {
	id: number;
	clientId: number | null;
	tenant: string | null;
	title: string;
	category: string | null;
	status: string | null;
	progress: number;
	dueDate: string | null;
	budgetMga: number | null;
	late: boolean;
	updatedAt: string | null;
}

/** Today's calendar date in Madagascar (`YYYY-MM-DD`), the zone every date of the app is read in. */
export function todayInMadagascar(now = Date.now()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Indian/Antananarivo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Whether a project is late on `today` (`YYYY-MM-DD`): its due date has passed and it is not finished. */
export function isLate(project: { dueDate: string | null; status: string | null }, today: string): boolean {
	if (!project.dueDate || FINISHED.has(project.status ?? '')) return false;
	return project.dueDate.slice(0, 10) < today;
}

const str = (v: Row[string] | undefined) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: Row[string] | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A project row as shown; `progress` clamped to 0-100. */
export function projectView(row: Row, today: string): ProjectView {
	const dueDate = str(row.due_date);
	const status = str(row.status);
	const progress = num(row.progress);
	return {
		id: num(row.id) ?? 0,
		clientId: num(row.clients_id),
		tenant: str(row.tenant),
		title: str(row.title) ?? '',
		category: str(row.category),
		status,
		progress: progress === null ? 0 : Math.round(Math.min(100, Math.max(0, progress))),
		dueDate,
		budgetMga: num(row.budget_mga),
		late: isLate({ dueDate, status }, today),
		updatedAt: str(row.updated_at)
	};
}

/** The projects of the state (of one client when `clientId` is given), by due date, undated last. */
export function projectViews(state: DashboardState, today: string, clientId?: number): ProjectView[] {
	return Object.values(state.rows.projects)
		.map((row) => projectView(row, today))
		.filter((p) => clientId === undefined || p.clientId === clientId)
		.sort((a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.id - b.id);
}

/** How many projects are in each status, in workflow order (statuses with none included, unknown last). */
export function countByStatus(projects: readonly ProjectView[]): Array<{ status: string; count: number }> {
	const counts = new Map<string, number>(PROJECT_STATUS_ORDER.map((s) => [s, 0]));
	for (const p of projects) counts.set(p.status ?? 'unknown', (counts.get(p.status ?? 'unknown') ?? 0) + 1);
	return [...counts].map(([status, count]) => ({ status, count }));
}

/** One metric of one project over time. */
export interface MetricSeries {
	key: string;
	unit: string | null;
	/** The latest target set for this metric. */
	target: number | null;
	/** Oldest first, one point per date (the latest write of a date wins). */
	points: Array<{ date: string; value: number }>;
	latest: number | null;
}

/** The metrics we chart first, in this order; any other key follows, by name. */
export const METRIC_ORDER = ['farmers_onboarded', 'hectares_covered', 'pilot_sites_active'] as const;

/** The metric series of project `projectId` (bknd `project_metrics`: projects_id, key, value, target, unit, date). */
export function metricSeries(state: DashboardState, projectId: number): MetricSeries[] {
	const byKey = new Map<string, Row[]>();
	for (const row of Object.values(state.rows.project_metrics)) {
		if (row.projects_id !== projectId || !str(row.key) || num(row.value) === null || !str(row.date)) continue;
		const list = byKey.get(row.key as string) ?? [];
		list.push(row);
		byKey.set(row.key as string, list);
	}
	const series: MetricSeries[] = [];
	for (const [key, rows] of byKey) {
		rows.sort((a, b) => str(a.date)!.localeCompare(str(b.date)!) || (num(a.id) ?? 0) - (num(b.id) ?? 0));
		const byDate = new Map<string, number>();
		for (const row of rows) byDate.set(str(row.date)!.slice(0, 10), num(row.value)!);
		const points = [...byDate].map(([date, value]) => ({ date, value }));
		const last = rows[rows.length - 1]!;
		const target = [...rows].reverse().map((r) => num(r.target)).find((t) => t !== null) ?? null;
		series.push({ key, unit: str(last.unit), target, points, latest: points[points.length - 1]?.value ?? null });
	}
	const rank = (key: string) => {
		const i = (METRIC_ORDER as readonly string[]).indexOf(key);
		return i === -1 ? METRIC_ORDER.length : i;
	};
	return series.sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

/** Budget against one outcome: what one unit of the outcome cost so far. */
export interface RoiLine {
	key: string;
	unit: string | null;
	latest: number;
	target: number | null;
	/** Budget divided by the latest value; `null` while nothing was achieved. */
	costPerUnit: number | null;
	/** Budget divided by the target: the cost per unit if the target is met. */
	costPerTargetUnit: number | null;
}

/**
 * The ROI panel of a project: its budget (MGA) against each outcome metric, e.g. cost per farmer onboarded.
 * @example roi(45_000_000, [{ key: 'farmers_onboarded', latest: 90, target: 120, ... }])[0].costPerUnit // 500000
 */
export function roi(budgetMga: number | null, series: readonly MetricSeries[]): RoiLine[] {
	if (budgetMga === null || budgetMga <= 0) return [];
	return series
		.filter((s) => s.latest !== null)
		.map((s) => ({
			key: s.key,
			unit: s.unit,
			latest: s.latest!,
			target: s.target,
			costPerUnit: s.latest! > 0 ? Math.round(budgetMga / s.latest!) : null,
			costPerTargetUnit: s.target && s.target > 0 ? Math.round(budgetMga / s.target) : null
		}));
}

/**
 * A lead's estimated value in MGA. Leads have no amount column: `estimate_mga` is computed from the analysis by
 * the one rule (`budgetEstimateOf`, shared/crm/leadAnalysis.ts), by the server for the snapshot and by bknd's
 * bridge for live rows, so the pipeline board and the dashboards always show the same figure.
 */
export function leadEstimate(row: Row): number | null {
	return num(row.estimate_mga);
}

/** The leads pipeline by status: how many leads, how many carry an estimate, and the estimates' sum in MGA. */
export function pipeline(state: DashboardState): Array<{ status: string; count: number; estimated: number; valueMga: number }> {
	const lines = new Map<string, { count: number; estimated: number; valueMga: number }>(LEAD_STATUS_ORDER.map((s) => [s, { count: 0, estimated: 0, valueMga: 0 }]));
	for (const row of Object.values(state.rows.leads)) {
		const status = str(row.status) ?? 'new';
		const line = lines.get(status) ?? { count: 0, estimated: 0, valueMga: 0 };
		const estimate = leadEstimate(row);
		line.count++;
		if (estimate !== null) (line.estimated++, (line.valueMga += estimate));
		lines.set(status, line);
	}
	return [...lines].map(([status, line]) => ({ status, ...line }));
}

/** One line of the staff dashboard per tenant. */
export interface TenantHealth {
	clientId: number;
	slug: string;
	name: string;
	projects: number;
	late: number;
	/** Review rounds not approved yet; `null` when the rooms could not be asked. */
	openRounds: number | null;
	/** The latest thing that happened: a project write or an activity entry. */
	lastActivity: string | null;
	/** `late` > 0 or rounds waiting: what staff should look at first. */
	level: 'ok' | 'watch' | 'late';
}

/** A health line per tenant (client row), worst first then by name. `openRounds` per tenant slug. */
export function tenantHealth(state: DashboardState, today: string, openRounds: Readonly<Record<string, number>> | null): TenantHealth[] {
	const projects = projectViews(state, today);
	const lines: TenantHealth[] = [];
	for (const client of Object.values(state.rows.clients)) {
		const clientId = num(client.id);
		const slug = str(client.slug);
		if (clientId === null || !slug) continue;
		const own = projects.filter((p) => p.clientId === clientId);
		const late = own.filter((p) => p.late).length;
		const rounds = openRounds ? (openRounds[slug] ?? 0) : null;
		let last: string | null = null;
		const consider = (at: string | null) => {
			if (at && (!last || Date.parse(at) > Date.parse(last))) last = at;
		};
		for (const p of own) consider(p.updatedAt);
		const ownIds = new Set(own.map((p) => p.id));
		for (const entry of state.activity) if (entry.tenant === slug || (entry.projectId !== null && ownIds.has(entry.projectId))) consider(entry.at);
		lines.push({
			clientId,
			slug,
			name: str(client.name) ?? slug,
			projects: own.length,
			late,
			openRounds: rounds,
			lastActivity: last,
			level: late > 0 ? 'late' : rounds ? 'watch' : 'ok'
		});
	}
	const weight = { late: 0, watch: 1, ok: 2 } as const;
	return lines.sort((a, b) => weight[a.level] - weight[b.level] || a.name.localeCompare(b.name));
}
