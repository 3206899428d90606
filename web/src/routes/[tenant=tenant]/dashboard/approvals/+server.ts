import { json, type RequestHandler } from '@sveltejs/kit';
import { BkndUnavailableError } from '$lib/server/bknd';
import { getEnv } from '$lib/server/env';
import { jsonError } from '$lib/server/guards';
import { tenantApprovals } from '$lib/live/dashboardLoad.server';

/**
 * `GET /<tenant>/dashboard/approvals` → `{ approvals }`: the review rounds waiting for the signed-in user in this
 * tenant (`null` when the project rooms could not be asked). Dashboards call it again when the feed says a round moved.
 * 401 signed out, 403 not this user's tenant. Layouts do not guard endpoints: the check is done here.
 */
export const GET: RequestHandler = async (event) => {
	const { locals, params, platform } = event;
	if (locals.bkndUnavailable) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
	if (!locals.user || !locals.bkndToken) return jsonError(event, 401, 'api.signInRequired');
	try {
		const approvals = await tenantApprovals(getEnv(platform), locals.bkndToken, locals.user, params.tenant!);
		if (approvals === 'forbidden') return jsonError(event, 403, 'api.tenantForbidden');
		return json({ approvals }, { headers: { 'cache-control': 'private, no-store' } });
	} catch (caught) {
		if (caught instanceof BkndUnavailableError) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
		throw caught;
	}
};
