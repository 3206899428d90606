import { redirect } from '@sveltejs/kit';
import { clientListQuerySchema } from '$shared/crm/clientListQuery';
import { clientsHref } from '$lib/components/crm/listHrefs';
import { listClientsPage } from '$lib/server/crm/clients';
import { staffLoad } from '$lib/server/crm/staffForms';
import type { PageServerLoad } from './$types';

/** The CRM's clients: searched and paged by bknd (`?q=&page=`), staff only. */
export const load: PageServerLoad = (event) =>
	staffLoad(event, async ({ env, token }) => {
		const query = clientListQuerySchema.parse(Object.fromEntries(event.url.searchParams));
		const result = await listClientsPage(env, token, query);
		// A page past the end (an old link, a narrower search) goes to the last page there is.
		if (query.page > result.pages) redirect(303, clientsHref(query.q, result.pages));
		return { q: query.q, result };
	});
