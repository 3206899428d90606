import type { RequestHandler } from '@sveltejs/kit';
import { parseMediaName } from '$shared/mediaNames';
import { BkndUnavailableError } from '$lib/server/bknd';
import { fetchMedia } from '$lib/server/bkndMedia';
import { getEnv } from '$lib/server/env';
import { jsonError } from '$lib/server/guards';
import { mayViewProjectMedia } from '$lib/server/mediaAccess';

/**
 * `GET /api/media/<name>`: a frame image stored in bknd's media module, for a signed-in user who may see
 * the project the name encodes (`p<project>-<random>.<ext>`, shared/mediaNames.ts). Streamed from bknd with
 * the user's own token; private (never a shared cache), typed from the name, never sniffed, sandboxed if
 * opened on its own. 404 alike for a malformed name, someone else's project and a missing file.
 */
export const GET: RequestHandler = async (event) => {
	const { locals, params, platform } = event;
	const name = parseMediaName(params.name ?? '');
	if (!name) return jsonError(event, 404, 'api.mediaNotFound');
	if (locals.bkndUnavailable) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
	if (!locals.user || !locals.bkndToken) return jsonError(event, 401, 'api.signInRequired');

	const env = getEnv(platform);
	try {
		if (!(await mayViewProjectMedia(env, locals.bkndToken, locals.user, name.projectId))) return jsonError(event, 404, 'api.mediaNotFound');
		const stored = await fetchMedia(env, locals.bkndToken, params.name!);
		if (!stored) return jsonError(event, 404, 'api.mediaNotFound');
		const headers: Record<string, string> = {
			'content-type': name.contentType,
			'cache-control': 'private, max-age=300',
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; sandbox",
			'cross-origin-resource-policy': 'same-origin'
		};
		const length = stored.headers.get('content-length');
		if (length) headers['content-length'] = length;
		return new Response(stored.body, { status: 200, headers });
	} catch (caught) {
		if (caught instanceof BkndUnavailableError) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
		throw caught;
	}
};
