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

/** The project an event is about, if any. */
export function projectOf(event: Pick<LoggedEvent, 'entity' | 'row'>): number | null {
	const value = event.entity === 'projects' ? event.row.id : event.entity === 'activity' ? event.row.projectId : event.row.projects_id;
	return typeof value === 'number' ? value : null;
}

/**
 * What `viewer` receives of `event`: the event itself for staff, a copy with only shared fields for
 * clients and partners, or `null`. Clients see their tenant's client-lane activity, partners both lanes,
 * and only of the projects they may see.
 */
export function visibleEvent(viewer: LiveViewer, event: LoggedEvent): LoggedEvent | null {
	if (isStaff(viewer.role)) return event;
	if (event.tenant !== viewer.room) return null;
	const fields = SHARED_FIELDS[event.entity];
	if (!fields) return null;
	if (event.entity === 'activity' && event.row.lane !== 'client' && viewer.role !== 'partner') return null;
	if (viewer.role === 'partner') {
		// A partner works on projects, not for the client: the client record is not theirs to watch.
		const project = event.entity === 'clients' ? null : projectOf(event);
		if (project === null || !viewer.projects.has(project)) return null;
	}
	const row: LoggedEvent['row'] = {};
	for (const field of fields) if (Object.hasOwn(event.row, field)) row[field] = event.row[field]!;
	return { ...event, row };
}
