import { isStaff, type Role } from '../roles';
import type { LiveEntity, LoggedEvent } from './events';

/** A live-room watcher as its verified token describes it. */
export interface LiveViewer {
	role: Role;
	/** The live room's id: a tenant slug, or `fataplus` (staff only). */
	room: string;
	/** Projects a partner may see in this room (it loses one when its share is revoked); a client sees all its tenant's. */
	projects: ReadonlySet<number>;
}

/**
 * Fields a non-staff watcher may see, per entity; an entity not listed is staff-only (leads, shares).
 * Everything else on a row (internal notes, margins, Figma keys, partner details) never leaves the room
 * for them: a row is rebuilt from this list, not filtered by a deny list, so a new column stays private.
 */
export const SHARED_FIELDS: Partial<Record<LiveEntity, readonly string[]>> = {
	projects: ['id', 'clients_id', 'title', 'description', 'category', 'status', 'progress', 'start_date', 'due_date', 'budget_mga', 'updated_at'],
	clients: ['id', 'name', 'slug', 'industry', 'country', 'updated_at'],
	project_metrics: ['id', 'projects_id', 'key', 'value', 'target', 'unit', 'date', 'updated_at'],
	activity: ['projectId', 'kind', 'lane', 'actorName', 'summary', 'count']
};

/**
 * Money columns, per entity: a project's budget is between the agency and the client who pays it. Staff and the
 * client see it; a partner agency never does, nor anything computed from it (the dashboard's ROI, cost per farmer).
 */
export const MONEY_FIELDS: Partial<Record<LiveEntity, readonly string[]>> = { projects: ['budget_mga'] };

/** Units that make a `project_metrics` value a money figure, lower case (compared trimmed, in any case). */
export const MONEY_UNITS: readonly string[] = ['mga', 'ar', 'ariary', 'eur', '€', 'usd', '$'];

/** Whether `role` may see money figures: staff and clients, not partners. */
export function seesMoney(role: Role): boolean {
	return role !== 'partner';
}

/** What a partner may see, per entity: `SHARED_FIELDS` without `MONEY_FIELDS` (derived: one catalogue). */
export const PARTNER_FIELDS: Partial<Record<LiveEntity, readonly string[]>> = Object.fromEntries(
	Object.entries(SHARED_FIELDS).map(([entity, fields]) => [entity, fields.filter((field) => !MONEY_FIELDS[entity as LiveEntity]?.includes(field))])
);

/** The fields a non-staff `role` may see of `entity`; `undefined` for a staff-only entity. */
export function sharedFieldsFor(role: Role, entity: LiveEntity): readonly string[] | undefined {
	return (seesMoney(role) ? SHARED_FIELDS : PARTNER_FIELDS)[entity];
}

/**
 * Whether a metric's unit lets a partner see it: stated, and not a currency. A metric without a unit may be
 * money as well as a count, so a partner does not get it (bknd's partner policy filters the same way, policies.ts).
 */
export function partnerMaySeeMetric(unit: unknown): boolean {
	if (typeof unit !== 'string') return false;
	const normal = unit.trim().toLowerCase();
	return normal !== '' && !MONEY_UNITS.includes(normal);
}

/** Whether `role` may see `row` of `entity` at all as far as money goes (a partner and a money metric: no). */
export function rowShowsMoneyTo(role: Role, entity: LiveEntity, row: Readonly<Record<string, unknown>>): boolean {
	return seesMoney(role) || entity !== 'project_metrics' || partnerMaySeeMetric(row.unit);
}

/** `row` without the money columns `role` may not see (the same row for staff and clients). */
export function withoutMoneyFor<T extends object>(role: Role, entity: LiveEntity, row: T): T {
	const money = seesMoney(role) ? undefined : MONEY_FIELDS[entity];
	if (!money) return row;
	return Object.fromEntries(Object.entries(row).filter(([field]) => !money.includes(field))) as T;
}

/** The project an event is about, if any. */
export function projectOf(event: Pick<LoggedEvent, 'entity' | 'row'>): number | null {
	const value = event.entity === 'projects' ? event.row.id : event.entity === 'activity' ? event.row.projectId : event.row.projects_id;
	return typeof value === 'number' ? value : null;
}

/**
 * What `viewer` receives of `event`: the event itself for staff, a copy with only shared fields for
 * clients and partners (partners: no money, see MONEY_FIELDS), or `null`. Clients see their tenant's client-lane
 * activity, partners both lanes, and only of the projects they may see, and no money metric.
 */
export function visibleEvent(viewer: LiveViewer, event: LoggedEvent): LoggedEvent | null {
	if (isStaff(viewer.role)) return event;
	if (event.tenant !== viewer.room) return null;
	const fields = sharedFieldsFor(viewer.role, event.entity);
	if (!fields) return null;
	if (event.entity === 'activity' && event.row.lane !== 'client' && viewer.role !== 'partner') return null;
	if (viewer.role === 'partner') {
		// A partner works on projects, not for the client: the client record is not theirs to watch.
		const project = event.entity === 'clients' ? null : projectOf(event);
		if (project === null || !viewer.projects.has(project)) return null;
		// A money metric reaches a partner as its deletion, id only: it may have been shown before its unit changed.
		if (!rowShowsMoneyTo(viewer.role, event.entity, event.row)) return { ...event, op: 'delete', row: { id: event.row.id ?? null, projects_id: project } };
	}
	const row: LoggedEvent['row'] = {};
	for (const field of fields) if (Object.hasOwn(event.row, field)) row[field] = event.row[field]!;
	return { ...event, row };
}
