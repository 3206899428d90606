import { json, type RequestHandler } from '@sveltejs/kit';
import { isStaff } from '$shared/roles';
import { BkndUnavailableError, proxyDataGet } from '$lib/server/bknd';
import { getEnv } from '$lib/server/env';
import { jsonError } from '$lib/server/guards';

/**
 * The only bknd paths browsers may reach through the app: reads of these entities, by list or by id.
 * Never auth, system, media or admin endpoints, never writes. Everything else under /api is 404.
 */
const ALLOWED = /^data\/entity\/(clients|projects|partners|project_shares)(\/[1-9][0-9]{0,14})?$/;
/** bknd hole 2 (docs/bknd.md): `with`/`join` return related rows the role may not read. Staff only. */
const RELATION_PARAMS = ['with', 'join'];

export const GET: RequestHandler = async (event) => {
	const { params, url, locals, platform } = event;
	const path = params.path ?? '';
	if (!ALLOWED.test(path)) return jsonError(event, 404, 'api.notFound');
	if (locals.bkndUnavailable) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
	if (!locals.user || !locals.bkndToken) return jsonError(event, 401, 'api.signInRequired');
	if (!isStaff(locals.user.role) && RELATION_PARAMS.some((p) => url.searchParams.has(p))) return jsonError(event, 400, 'api.withForbidden');
	try {
		// The SDK's data API is rooted at /api/data: pass the rest of the path.
		const { status, body } = await proxyDataGet(getEnv(platform), locals.bkndToken, path.slice('data/'.length), url.searchParams);
		return json(body ?? null, { status, headers: { 'cache-control': 'private, no-store' } });
	} catch (caught) {
		if (caught instanceof BkndUnavailableError) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
		throw caught;
	}
};

/** Any other method on any other /api path. */
export const fallback: RequestHandler = (event) => jsonError(event, 404, 'api.notFound');
