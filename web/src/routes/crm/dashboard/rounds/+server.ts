import { json, type RequestHandler } from '@sveltejs/kit';
import { isStaff } from '$shared/roles';
import { BkndUnavailableError } from '$lib/server/bknd';
import { getEnv } from '$lib/server/env';
import { jsonError } from '$lib/server/guards';
import { staffOpenRounds } from '$lib/live/dashboardLoad.server';

/** `GET /crm/dashboard/rounds` → `{ openRounds }`: open review rounds per tenant slug (staff only). */
export const GET: RequestHandler = async (event) => {
	const { locals, platform } = event;
	if (locals.bkndUnavailable) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
	if (!locals.user || !locals.bkndToken) return jsonError(event, 401, 'api.signInRequired');
	if (!isStaff(locals.user.role)) return jsonError(event, 403, 'api.roomForbidden');
	try {
		const openRounds = await staffOpenRounds(getEnv(platform), locals.bkndToken, locals.user);
		return json({ openRounds }, { headers: { 'cache-control': 'private, no-store' } });
	} catch (caught) {
		if (caught instanceof BkndUnavailableError) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
		throw caught;
	}
};
