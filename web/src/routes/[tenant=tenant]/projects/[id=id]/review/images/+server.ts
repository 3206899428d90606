import { json, type RequestHandler } from '@sveltejs/kit';
import { isStaff } from '$shared/roles';
import { BkndUnavailableError, findClientBySlug, readProject } from '$lib/server/bknd';
import { uploadMedia } from '$lib/server/bkndMedia';
import { getEnv } from '$lib/server/env';
import { jsonError } from '$lib/server/guards';
import { readImageUpload } from '$lib/server/imageUpload';

/**
 * `POST /<tenant>/projects/<id>/review/images` (multipart, field `file`) → 201 `{ path }`: a frame image for
 * this project, uploaded to bknd's media module with the signed-in user's token. Staff only (bknd refuses
 * anyone else too); png/jpeg/webp/gif by their bytes, at most 5 MiB. The page then sends `frame.add` with
 * `image: { kind: 'media', path }`. SvelteKit's CSRF check refuses cross-site form posts before this runs.
 */
export const POST: RequestHandler = async (event) => {
	const { locals, params, platform, request } = event;
	const noStore = { 'cache-control': 'no-store' };
	if (locals.bkndUnavailable) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
	if (!locals.user || !locals.bkndToken) return jsonError(event, 401, 'api.signInRequired');
	if (!isStaff(locals.user.role)) return jsonError(event, 403, 'api.mediaStaffOnly');

	const env = getEnv(platform);
	const token = locals.bkndToken;
	const projectId = Number(params.id);
	try {
		// The project must belong to the tenant in the URL, so an image is never filed under a project reached by a wrong link.
		const [client, project] = await Promise.all([findClientBySlug(env, token, params.tenant ?? ''), readProject(env, token, projectId)]);
		if (!client || !project || project.clients_id !== client.id) return jsonError(event, 404, 'api.projectNotFound');

		const upload = await readImageUpload(request);
		if (!upload.ok) return jsonError(event, upload.status, upload.key);
		const stored = await uploadMedia(env, token, project.id, upload.bytes, upload.extension);
		if (!stored.ok) {
			if (stored.status === 403) return jsonError(event, 403, 'api.mediaStaffOnly');
			if (stored.status === 413) return jsonError(event, 413, 'api.imageTooLarge');
			if (stored.status === 415) return jsonError(event, 415, 'api.imageType');
			if (stored.status === 404) return jsonError(event, 404, 'api.projectNotFound');
			return jsonError(event, 502, 'api.bkndError');
		}
		return json({ path: stored.name }, { status: 201, headers: noStore });
	} catch (caught) {
		if (caught instanceof BkndUnavailableError) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
		throw caught;
	}
};
