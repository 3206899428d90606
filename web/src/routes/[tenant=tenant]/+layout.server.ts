import { error } from '@sveltejs/kit';
import { withoutMoneyFor } from '$shared/live/visibility';
import { translate } from '$lib/i18n';
import { tenantBase } from '$lib/navigation';
import { tenantFromHost } from '$lib/tenantHost';
import { decideTenantPage } from '$lib/server/accessRules';
import { getEnv } from '$lib/server/env';
import { requireUser, withBknd } from '$lib/server/guards';
import { loadTenant } from '$lib/server/tenantFacts';
import type { LayoutServerLoad } from './$types';

/**
 * Every page of a tenant: signed in (else /login?next=), the tenant visible to this user (404 unknown,
 * 403 someone else's), and its projects the user may enter, read from bknd with the user's token (a partner's
 * without their budget: money is for staff and the client).
 */
export const load: LayoutServerLoad = async (event) => {
	const { user, token } = requireUser(event);
	const { params, locals, url } = event;
	const env = getEnv(event.platform);
	const loaded = await withBknd(locals.lang, () => loadTenant(env, token, user, params.tenant));
	const decision = decideTenantPage(user, params.tenant, loaded);
	if (!decision.ok) {
		error(decision.status, translate(locals.lang, decision.status === 404 ? 'api.tenantNotFound' : 'api.tenantForbidden'));
	}
	const client = loaded.clientRow!;
	const enterable = new Set(decision.enterable);
	return {
		tenant: { id: client.id, name: client.name, slug: client.slug, industry: client.industry ?? null, country: client.country ?? null },
		/** Path prefix for links: empty on the tenant's own subdomain. */
		base: tenantBase(client.slug, tenantFromHost(url.host)),
		projects: loaded.projectRows.filter((p) => enterable.has(p.id)).map((p) => withoutMoneyFor(user.role, 'projects', p))
	};
};
