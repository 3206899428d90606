import { json, type RequestHandler } from '@sveltejs/kit';
import { parseRoomRef, type RoomRef } from '$shared/roomNames';
import { signRoomToken } from '$shared/roomToken';
import { decideRoomToken, type TenantFacts } from '$lib/server/accessRules';
import { BkndUnavailableError } from '$lib/server/bknd';
import { getEnv } from '$lib/server/env';
import { jsonError } from '$lib/server/guards';
import { roomSocketUrl } from '$lib/server/roomUrls';
import { loadTenant } from '$lib/server/tenantFacts';

const NO_FACTS: TenantFacts = { client: null, projects: [], shares: [] };

/**
 * `GET /api/rooms/token?room=<room id>` → `{ token, expiresAt, url }`: a short-lived room token
 * for the signed-in user, if `decideRoomToken` admits them (401 signed out, 403 otherwise).
 */
export const GET: RequestHandler = async (event) => {
	const { locals, url, platform } = event;
	const noStore = { 'cache-control': 'no-store' };
	if (locals.bkndUnavailable) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
	if (!locals.user || !locals.bkndToken) return jsonError(event, 401, 'api.signInRequired');

	const ref: RoomRef | null = parseRoomRef(url.searchParams.get('room') ?? '');
	if (!ref) return jsonError(event, 403, 'api.roomMalformed');

	const env = getEnv(platform);
	let facts = NO_FACTS;
	if (!('staff' in ref)) {
		try {
			facts = await loadTenant(env, locals.bkndToken, locals.user, ref.tenant);
		} catch (caught) {
			if (caught instanceof BkndUnavailableError) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
			throw caught;
		}
	}

	const decision = decideRoomToken(locals.user, ref, facts);
	if (!decision.ok) return jsonError(event, decision.status, 'api.roomForbidden');

	const { token, expiresAt } = await signRoomToken(decision.subject, env.ROOM_TOKEN_SECRET);
	const roomId = 'staff' in ref ? decision.subject.tenant : url.searchParams.get('room')!;
	return json({ token, expiresAt, url: roomSocketUrl(env.ROOMS_URL, ref.party, roomId) }, { headers: noStore });
};
