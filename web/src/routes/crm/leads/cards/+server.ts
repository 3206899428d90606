import { json, type RequestHandler } from '@sveltejs/kit';
import { isStaff } from '$shared/roles';
import { BkndUnavailableError } from '$lib/server/bknd';
import { leadCards } from '$lib/server/crm/leads';
import { getEnv } from '$lib/server/env';
import { jsonError } from '$lib/server/guards';

/**
 * `GET /crm/leads/cards?ids=1,2`: the cards of leads the live board heard about (staff only). Live events do
 * not carry a card's estimate, industry or analysis state (bknd/bridge/toEvent.ts); the board asks here.
 */
export const GET: RequestHandler = async (event) => {
	const { locals, url, platform } = event;
	if (locals.bkndUnavailable) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
	if (!locals.user || !locals.bkndToken) return jsonError(event, 401, 'api.signInRequired');
	if (!isStaff(locals.user.role)) return jsonError(event, 403, 'error.body403');
	const ids = (url.searchParams.get('ids') ?? '')
		.split(',')
		.filter((id) => /^[1-9][0-9]{0,14}$/.test(id))
		.map(Number)
		.slice(0, 50);
	try {
		const cards = await leadCards(getEnv(platform), locals.bkndToken, ids);
		return json({ cards }, { headers: { 'cache-control': 'private, no-store' } });
	} catch (caught) {
		if (caught instanceof BkndUnavailableError) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
		throw caught;
	}
};
