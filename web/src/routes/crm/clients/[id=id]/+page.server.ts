import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { isLate, todayInMadagascar } from '$lib/live/dashboardViews';
import { readClientDetail } from '$lib/server/crm/clients';
import { staffLoad } from '$lib/server/crm/staffForms';
import type { PageServerLoad } from './$types';

/** A client's CRM page: contact, projects, partner shares of those projects, its users, and its portal link. */
export const load: PageServerLoad = (event) =>
	staffLoad(event, async ({ env, token }) => {
		const detail = await readClientDetail(env, token, Number(event.params.id));
		if (!detail) error(404, translate(event.locals.lang, 'crm.clientGone'));
		const today = todayInMadagascar();
		return {
			...detail,
			lateIds: detail.projects.filter((p) => isLate({ dueDate: p.due_date ?? null, status: p.status ?? null }, today)).map((p) => p.id),
			created: event.url.searchParams.has('created'),
			saved: event.url.searchParams.has('saved')
		};
	});
