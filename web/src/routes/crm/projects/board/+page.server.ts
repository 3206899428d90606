import { projectListQuerySchema } from '$shared/crm/projectListQuery';
import { projectMoveSchema } from '$shared/crm/projectMove';
import { todayInMadagascar } from '$lib/live/dashboardViews';
import { listClientOptions } from '$lib/server/crm/clients';
import { listBoardProjects, moveProject } from '$lib/server/crm/projects';
import { saveFailure, staffAction, staffLoad } from '$lib/server/crm/staffForms';
import type { Actions, PageServerLoad } from './$types';

/** The projects board: one column per status, optionally of one client or category; staff only. */
export const load: PageServerLoad = (event) =>
	staffLoad(event, async ({ env, token }) => {
		const { tenant, category } = projectListQuerySchema.parse(Object.fromEntries(event.url.searchParams));
		const clients = await listClientOptions(env, token);
		const items = await listBoardProjects(env, token, { tenant, category }, clients, todayInMadagascar());
		return { filters: { tenant, category }, clients, items };
	});

export const actions: Actions = {
	/**
	 * A move (drag and drop, or the card's "Déplacer vers…" form, which works without JavaScript): one PATCH of the
	 * project's status at bknd, whose live bridge then updates every dashboard. The default action, so a form posted
	 * without JavaScript keeps the board's filters (its URL's query).
	 */
	default: (event) =>
		staffAction(event, 'move', projectMoveSchema, async ({ env, token, data, values }) => {
			const saved = await moveProject(env, token, data.project_id, data.status);
			if (!saved.ok) return saveFailure('move', values, saved);
			return { form: 'move', moved: { id: saved.project.id, status: saved.project.status ?? data.status } };
		})
};
