import { json, type RequestHandler } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { jsonError } from '$lib/server/guards';
import { BkndUnavailableError } from '$lib/server/bknd';
import { getEnv } from '$lib/server/env';
import { clientAddress } from '$lib/server/publicForms/clientAddress';
import { endSessionAndClearCookie } from '$lib/server/session';
import { credentialsSchema, signIn, throttledMessageKey, waitMinutes } from '$lib/server/signIn';

const NO_STORE = { 'cache-control': 'no-store' };

/** Kit checks the origin of form posts only; a JSON body from another origin is refused here. */
function crossOrigin(request: Request, url: URL): boolean {
	const origin = request.headers.get('origin');
	return origin !== null && origin !== url.origin;
}

/** The signed-in user, or `{ user: null }`. */
export const GET: RequestHandler = ({ locals }) => json({ user: locals.user }, { headers: NO_STORE });

/**
 * Signs in: `{ email, password }` → `{ user }` and the `fp_session` cookie; 401 without cookie on wrong credentials;
 * 429 `{ error, retryAfterSeconds }` + `retry-after` after too many failures (bknd's throttle, by account and address).
 */
export const POST: RequestHandler = async (event) => {
	const { request, url, cookies, platform } = event;
	if (crossOrigin(request, url)) return jsonError(event, 403, 'api.signInRequired');
	const body = await request.json().catch(() => undefined);
	const credentials = credentialsSchema.safeParse(body);
	if (!credentials.success) return jsonError(event, 400, 'login.invalidBody');
	try {
		const result = await signIn(getEnv(platform), cookies, url, credentials.data, clientAddress(event));
		if (!result.ok && result.reason === 'throttled') {
			const minutes = waitMinutes(result.retryAfterSeconds);
			return json(
				{ error: translate(event.locals.lang, throttledMessageKey(minutes), { minutes }), retryAfterSeconds: result.retryAfterSeconds },
				{ status: 429, headers: { ...NO_STORE, 'retry-after': String(result.retryAfterSeconds) } }
			);
		}
		if (!result.ok) return jsonError(event, 401, 'login.invalidCredentials');
		return json({ user: result.user, home: result.home }, { headers: NO_STORE });
	} catch (caught) {
		if (caught instanceof BkndUnavailableError) return jsonError(event, 503, 'api.bkndUnavailable', { 'retry-after': '5' });
		throw caught;
	}
};

/** Signs out: bknd ends the session at once (its token is refused from then on), then the cookie is cleared. */
export const DELETE: RequestHandler = async (event) => {
	if (crossOrigin(event.request, event.url)) return jsonError(event, 403, 'api.signInRequired');
	await endSessionAndClearCookie(event.cookies, event.url, getEnv(event.platform));
	return json({ user: null }, { headers: NO_STORE });
};
