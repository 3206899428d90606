import type { ActivityRow, LiveEntity, LiveOp, LoggedEvent } from '../../../../shared/live/events';

// The state of a live dashboard: the snapshot the page loaded from bknd, with the live room's events applied
// on top. The page reads the room's sequence number BEFORE the snapshot (see liveJoin.server.ts) and replays
// the events after it, so an event may land on a snapshot that already holds its change. Every step here is
// therefore idempotent: rows are upserted by entity and id keeping the newest `updated_at`, activity is
// deduplicated by a key that the snapshot and the event agree on. Pure: no I/O, no Svelte, no zod (this ships
// to the browser; the room validated each event when it was published).

/** A row as dashboards hold it: flat JSON values, as the live feed carries them. */
export type Row = Record<string, string | number | boolean | null>;
/** Entities kept as rows (everything but `activity`). */
export type RowEntity = Exclude<LiveEntity, 'activity'>;
export const ROW_ENTITIES: readonly RowEntity[] = ['projects', 'clients', 'leads', 'project_shares', 'project_metrics'];

/** How many activity entries a dashboard keeps (newest first). */
export const ACTIVITY_LIMIT = 40;

/** One line of the activity list. */
export type ActivityEntry =
	| {
			key: string;
			at: string;
			tenant: string | null;
			projectId: number | null;
			source: 'review';
			review: Pick<ActivityRow, 'kind' | 'lane' | 'actorName' | 'summary'> & { count: number };
	  }
	| {
			key: string;
			at: string;
			tenant: string | null;
			projectId: number;
			source: 'project';
			op: LiveOp;
			title: string;
			/** What changed, when the state held the previous revision; `null` when unknown. */
			status: { from: string | null; to: string | null } | null;
			progress: { from: number | null; to: number | null } | null;
	  };

export interface DashboardState {
	rows: Readonly<Record<RowEntity, Readonly<Record<string, Row>>>>;
	/** Newest first, at most `ACTIVITY_LIMIT`. */
	activity: readonly ActivityEntry[];
}

/** What a page loaded from bknd: rows per entity (flat), and the activity it already knows. */
export interface DashboardSnapshot {
	tenant?: string | null;
	rows: Partial<Record<RowEntity, readonly Row[]>>;
	activity?: readonly ActivityEntry[];
}

/**
 * The starting state from a snapshot. Each project that has an `updated_at` contributes an activity entry
 * keyed like the event of that same revision, so the event, replayed later, is not shown twice.
 */
export function fromSnapshot(snapshot: DashboardSnapshot): DashboardState {
	const rows = emptyRows();
	for (const entity of ROW_ENTITIES) {
		const byId: Record<string, Row> = {};
		for (const row of snapshot.rows[entity] ?? []) {
			const id = idOf(row);
			if (id !== null) byId[id] = withTenant({ ...row }, snapshot.tenant ?? null);
		}
		rows[entity] = byId;
	}
	let activity: ActivityEntry[] = [...(snapshot.activity ?? [])];
	for (const project of Object.values(rows.projects)) {
		const at = stringOr(project.updated_at);
		if (!at || typeof project.id !== 'number') continue;
		activity.push({
			key: rowKey('projects', project.id, at),
			at,
			tenant: stringOr(project.tenant),
			projectId: project.id,
			source: 'project',
			op: 'update',
			title: stringOr(project.title) ?? '',
			status: null,
			progress: null
		});
	}
	activity = sortActivity(dedupe(activity));
	return { rows, activity };
}

/**
 * `state` with `event` applied; the same object when the event changes nothing (an event the snapshot
 * already had, or one applied before), so `applyEvent(applyEvent(s, e), e)` equals `applyEvent(s, e)`.
 */
export function applyEvent(state: DashboardState, event: LoggedEvent): DashboardState {
	if (event.entity === 'activity') return addActivity(state, reviewEntry(event));
	const entity = event.entity;
	const id = idOf(event.row);
	if (id === null) return state;
	const current = state.rows[entity][id];
	const incoming: Row = withTenant(event.row, event.tenant);

	let rows = state.rows;
	if (event.op === 'delete') {
		// A delete wins unless the row we hold was written after it (a replayed old delete of a re-created id).
		if (current && !(compareStamps(stringOr(current.updated_at), event.at) > 0)) rows = replaceEntity(rows, entity, without(rows[entity], id));
	} else if (!current || isNewer(incoming, current)) {
		rows = replaceEntity(rows, entity, { ...rows[entity], [id]: { ...current, ...incoming } });
	}
	let next: DashboardState = rows === state.rows ? state : { ...state, rows };
	if (entity === 'projects' && typeof event.row.id === 'number') {
		const applied = rows !== state.rows;
		next = addActivity(next, projectEntry(event, applied ? current : undefined, event.row.id));
	}
	return next;
}

/** `state` with every event of `events` applied in order. */
export function applyEvents(state: DashboardState, events: Iterable<LoggedEvent>): DashboardState {
	let next = state;
	for (const event of events) next = applyEvent(next, event);
	return next;
}

/** `state` without anything of project `projectId`: a partner whose share was revoked (`revoked` message). */
export function forgetProject(state: DashboardState, projectId: number): DashboardState {
	const rows = emptyRows();
	for (const entity of ROW_ENTITIES) {
		const kept: Record<string, Row> = {};
		for (const [id, row] of Object.entries(state.rows[entity])) {
			const owner = entity === 'projects' ? row.id : row.projects_id;
			if (owner !== projectId) kept[id] = row;
		}
		rows[entity] = kept;
	}
	return { rows, activity: state.activity.filter((entry) => entry.projectId !== projectId) };
}

/** The rows of one entity, in no particular order. */
export function rowsOf(state: DashboardState, entity: RowEntity): Row[] {
	return Object.values(state.rows[entity]);
}

// ---- helpers ----

function emptyRows(): Record<RowEntity, Record<string, Row>> {
	return { projects: {}, clients: {}, leads: {}, project_shares: {}, project_metrics: {} };
}

function idOf(row: Row): string | null {
	const id = row.id;
	return typeof id === 'number' || (typeof id === 'string' && id !== '') ? String(id) : null;
}

function stringOr(value: Row[string] | undefined): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/** Milliseconds of an ISO or SQLite (`2026-11-26 08:00:00`) timestamp; `null` when unreadable. */
function stampOf(value: string | null): number | null {
	if (!value) return null;
	const ms = Date.parse(/^\d{4}-\d{2}-\d{2} /.test(value) ? `${value.replace(' ', 'T')}Z` : value);
	return Number.isNaN(ms) ? null : ms;
}

/** > 0 when `a` is later than `b`; 0 when equal or when either cannot be read. */
function compareStamps(a: string | null, b: string | null): number {
	const x = stampOf(a);
	const y = stampOf(b);
	return x === null || y === null ? 0 : x - y;
}

/**
 * Whether `incoming` should replace `current`: when both carry `updated_at`, only a strictly later one
 * (an equal one is the same revision: the snapshot had it). Without it on either side, the log's order decides.
 */
function isNewer(incoming: Row, current: Row): boolean {
	const a = stampOf(stringOr(incoming.updated_at));
	const b = stampOf(stringOr(current.updated_at));
	return a === null || b === null ? true : a > b;
}

function withTenant(row: Row, tenant: string | null): Row {
	return tenant && !('tenant' in row) ? { ...row, tenant } : row;
}

function replaceEntity(rows: DashboardState['rows'], entity: RowEntity, byId: Record<string, Row>): DashboardState['rows'] {
	return { ...rows, [entity]: byId };
}

function without(byId: Readonly<Record<string, Row>>, id: string): Record<string, Row> {
	const copy = { ...byId };
	delete copy[id];
	return copy;
}

/** The activity key of a row revision: the same from a snapshot row and from the event of that write. */
function rowKey(entity: RowEntity, id: number | string, revision: string): string {
	return `${entity}:${id}:${revision}`;
}

function reviewEntry(event: LoggedEvent): ActivityEntry | null {
	const row = event.row;
	if (typeof row.kind !== 'string' || typeof row.lane !== 'string') return null;
	return {
		key: event.id,
		at: event.at,
		tenant: event.tenant,
		projectId: typeof row.projectId === 'number' ? row.projectId : null,
		source: 'review',
		review: {
			kind: row.kind as ActivityRow['kind'],
			lane: row.lane as ActivityRow['lane'],
			actorName: stringOr(row.actorName) ?? '',
			summary: stringOr(row.summary) ?? '',
			count: typeof row.count === 'number' && row.count > 1 ? row.count : 1
		}
	};
}

function projectEntry(event: LoggedEvent, before: Row | undefined, projectId: number): ActivityEntry {
	const row = event.row;
	const revision = stringOr(row.updated_at);
	const str = (v: Row[string] | undefined) => (typeof v === 'string' ? v : null);
	const num = (v: Row[string] | undefined) => (typeof v === 'number' ? v : null);
	const known = before !== undefined && event.op === 'update';
	const statusChanged = known && 'status' in row && str(before.status) !== str(row.status);
	const progressChanged = known && 'progress' in row && num(before.progress) !== num(row.progress);
	return {
		// Keyed by revision (whatever the op), like the snapshot's entry of that revision.
		key: revision ? rowKey('projects', projectId, revision) : event.id,
		at: revision ?? event.at,
		tenant: event.tenant,
		projectId,
		source: 'project',
		op: event.op,
		title: str(row.title) ?? str(before?.title) ?? '',
		status: statusChanged ? { from: str(before!.status), to: str(row.status) } : null,
		progress: progressChanged ? { from: num(before!.progress), to: num(row.progress) } : null
	};
}

function addActivity(state: DashboardState, entry: ActivityEntry | null): DashboardState {
	if (!entry || state.activity.some((e) => e.key === entry.key)) return state;
	const activity = sortActivity([...state.activity, entry]);
	// Older than everything kept in a full list: it would be cut at once, so nothing changes.
	if (!activity.includes(entry)) return state;
	return { ...state, activity };
}

function dedupe(entries: ActivityEntry[]): ActivityEntry[] {
	const seen = new Set<string>();
	return entries.filter((e) => !seen.has(e.key) && (seen.add(e.key), true));
}

function sortActivity(entries: ActivityEntry[]): ActivityEntry[] {
	return entries
		.sort((a, b) => compareStamps(b.at, a.at) || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
		.slice(0, ACTIVITY_LIMIT);
}
