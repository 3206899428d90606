import { redirect } from '@sveltejs/kit';
import { enterableProjectIds } from '$shared/access';
import type { ClientRow, ProjectRow } from '$shared/entities';
import { withoutMoneyFor } from '$shared/live/visibility';
import { isStaff } from '$shared/roles';
import { STAFF_HOME, pathOnHost } from '$lib/navigation';
import { tenantFromHost } from '$lib/tenantHost';
import { listClients, listProjects, listSharesOfPartner, readClient } from '$lib/server/bknd';
import { getEnv } from '$lib/server/env';
import { requireUser, withBknd } from '$lib/server/guards';
import { toShareRef } from '$lib/server/tenantFacts';
import type { PageServerLoad } from './$types';

export interface SharedGroup {
	client: Pick<ClientRow, 'id' | 'name' | 'slug'>;
	projects: ProjectRow[];
}

/** "Mon espace": staff go to the tenant list, a client to its tenant, a partner sees its shared projects here. */
export const load: PageServerLoad = async (event) => {
	const { user, token } = requireUser(event);
	const env = getEnv(event.platform);
	const lang = event.locals.lang;
	if (isStaff(user.role)) redirect(303, STAFF_HOME);

	if (user.role === 'client') {
		const client = user.clientId === null ? null : await withBknd(lang, () => readClient(env, token, user.clientId!));
		if (client) redirect(303, pathOnHost(`/${client.slug}`, tenantFromHost(event.url.host)));
		return { kind: 'no-tenant' as const, groups: [] as SharedGroup[] };
	}

	if (user.partnerId === null) return { kind: 'partner' as const, groups: [] as SharedGroup[] };
	const [shares, projects, clients] = await withBknd(lang, () =>
		Promise.all([listSharesOfPartner(env, token, user.partnerId!), listProjects(env, token), listClients(env, token)])
	);
	const enterable = new Set(enterableProjectIds(user, projects.map((p) => ({ id: p.id, clientId: p.clients_id })), shares.map(toShareRef)));
	const groups: SharedGroup[] = [];
	for (const client of clients) {
		const own = projects.filter((p) => p.clients_id === client.id && enterable.has(p.id));
		// Without their budgets: money is for staff and the client, not a partner agency.
		if (own.length) groups.push({ client: { id: client.id, name: client.name, slug: client.slug }, projects: own.map((p) => withoutMoneyFor(user.role, 'projects', p)) });
	}
	return { kind: 'partner' as const, groups };
};
