import { redirect } from '@sveltejs/kit';
import { projectListQuerySchema } from '$shared/crm/projectListQuery';
import { projectsHref } from '$lib/components/crm/listHrefs';
import { todayInMadagascar } from '$lib/live/dashboardViews';
import { listClientOptions } from '$lib/server/crm/clients';
import { listProjectsPage } from '$lib/server/crm/projects';
import { staffLoad } from '$lib/server/crm/staffForms';
import type { PageServerLoad } from './$types';

/** Every project, filtered (client, status, category, late) and paged by the server; staff only. */
export const load: PageServerLoad = (event) =>
	staffLoad(event, async ({ env, token }) => {
		const filters = projectListQuerySchema.parse(Object.fromEntries(event.url.searchParams));
		const clients = await listClientOptions(env, token);
		const result = await listProjectsPage(env, token, filters, clients, todayInMadagascar());
		if (filters.page > result.pages) redirect(303, projectsHref(filters, { page: result.pages }));
		return { filters, clients, result };
	});
