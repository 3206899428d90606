import { error } from '@sveltejs/kit';
import { isStaff } from '$shared/roles';
import { translate } from '$lib/i18n';
import { listClients, listProjects } from '$lib/server/bknd';
import { getEnv } from '$lib/server/env';
import { requireUser, withBknd } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/** Staff home: every tenant with its project counts. The full CRM comes later. */
export const load: PageServerLoad = async (event) => {
	const { user, token } = requireUser(event);
	if (!isStaff(user.role)) error(403, translate(event.locals.lang, 'error.body403'));
	const env = getEnv(event.platform);
	const [clients, projects] = await withBknd(event.locals.lang, () => Promise.all([listClients(env, token), listProjects(env, token)]));
	return {
		clients: clients.map((c) => {
			const own = projects.filter((p) => p.clients_id === c.id);
			return {
				id: c.id,
				name: c.name,
				slug: c.slug,
				industry: c.industry ?? null,
				country: c.country ?? null,
				contactName: c.contact_name ?? null,
				projectCount: own.length,
				activeCount: own.filter((p) => p.status === 'in_progress' || p.status === 'review').length
			};
		})
	};
};
