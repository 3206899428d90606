import { error } from '@sveltejs/kit';
import { projectListQuerySchema } from '$shared/crm/projectListQuery';
import { projectMoveSchema } from '$shared/crm/projectMove';
import type { ProjectRow } from '$shared/entities';
import { STAFF_LIVE_ROOM } from '$shared/tenants';
import { translate } from '$lib/i18n';
import type { DashboardSnapshot, Row } from '$lib/live/dashboardState';
import { todayInMadagascar } from '$lib/live/dashboardViews';
import { SNAPSHOT_DEPENDENCY } from '$lib/live/liveJoin';
import { joinLiveRoom, liveSubject } from '$lib/live/liveJoin.server';
import { listClientOptions } from '$lib/server/crm/clients';
import { listBoardProjects, moveProject } from '$lib/server/crm/projects';
import { requireStaff, saveFailure, staffAction } from '$lib/server/crm/staffForms';
import { withBknd } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/** What a card needs of a project (the live events carry the same fields, and more; `late` is computed from them). */
const CARD_FIELDS = ['id', 'clients_id', 'title', 'category', 'status', 'progress', 'due_date', 'updated_at'] as const;

function cardRow(project: ProjectRow): Row {
	const row: Row = {};
	for (const field of CARD_FIELDS) {
		const value = project[field];
		if (value !== undefined) row[field] = value;
	}
	return row;
}

/**
 * The projects board (staff only): the staff live room's number FIRST, then the clients and the projects, so the
 * board joins the feed where its snapshot was taken (lib/live/liveJoin.ts) and neither misses nor repeats a change
 * made meanwhile by a colleague or through bknd's API. Optionally of one client or category.
 */
export const load: PageServerLoad = async (event) => {
	event.depends(SNAPSHOT_DEPENDENCY);
	const { user, token, env } = requireStaff(event);
	const lang = event.locals.lang;
	const { tenant, category } = projectListQuerySchema.parse(Object.fromEntries(event.url.searchParams));
	const subject = await liveSubject(env, token, user, STAFF_LIVE_ROOM);
	if (!subject) error(403, translate(lang, 'error.body403'));
	const live = await joinLiveRoom(env, subject, STAFF_LIVE_ROOM);
	return withBknd(lang, async () => {
		const clients = await listClientOptions(env, token);
		const items = await listBoardProjects(env, token, { tenant, category }, clients, todayInMadagascar());
		const snapshot: DashboardSnapshot = { rows: { projects: items.map((item) => cardRow(item.project)), clients: clients.map(({ id, name, slug }) => ({ id, name, slug })) } };
		return { filters: { tenant, category }, clients, live, snapshot };
	});
};

export const actions: Actions = {
	/**
	 * A move (drag and drop, or the card's "Déplacer vers…" form, which works without JavaScript): one PATCH of the
	 * project's status at bknd, whose live bridge then updates every dashboard and every open board. The default
	 * action, so a form posted without JavaScript keeps the board's filters (its URL's query). Answers the saved
	 * revision, which the board keeps (the event of that write then changes nothing).
	 */
	default: (event) =>
		staffAction(event, 'move', projectMoveSchema, async ({ env, token, data, values }) => {
			const saved = await moveProject(env, token, data.project_id, data.status);
			if (!saved.ok) return saveFailure('move', values, saved);
			return { form: 'move', moved: { id: saved.project.id, status: saved.project.status ?? data.status, updated_at: saved.project.updated_at ?? null } };
		})
};
