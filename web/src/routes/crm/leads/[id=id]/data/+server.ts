import { json, type RequestHandler } from '@sveltejs/kit';
import { isStaff } from '$shared/roles';
import { BkndUnavailableError } from '$lib/server/bknd';
import { readLeadPage } from '$lib/server/crm/leads';
import { getEnv } from '$lib/server/env';
import { jsonError } from '$lib/server/guards';

/** `GET /crm/leads/<id>/data`: the lead page's data again, when the live feed says the lead changed (staff only). */
export const GET: RequestHandler = async (event) => {
	const { locals, params, platform } = event;
	if (locals.bkndUnavailable) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
	if (!locals.user || !locals.bkndToken) return jsonError(event, 401, 'api.signInRequired');
	if (!isStaff(locals.user.role)) return jsonError(event, 403, 'error.body403');
	try {
		const page = await readLeadPage(getEnv(platform), locals.bkndToken, Number(params.id));
		if (!page) return jsonError(event, 404, 'leads.convert.not_found');
		return json(page, { headers: { 'cache-control': 'private, no-store' } });
	} catch (caught) {
		if (caught instanceof BkndUnavailableError) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
		throw caught;
	}
};
