import '$lib/i18n/catalogues.server';
import type { Handle, HandleServerError } from '@sveltejs/kit';
import { LANG_COOKIE, LANG_QUERY, requestLang, translate } from '$lib/i18n';
import { BkndUnavailableError, me } from '$lib/server/bknd';
import { getEnv } from '$lib/server/env';
import { requestLogLine } from '$lib/server/requestLog';
import { SESSION_COOKIE, clearSessionCookie, langCookieOptions } from '$lib/server/session';

// Answered without asking bknd who the visitor is.
const NO_SESSION_PATHS = ['/api/health', '/api/lang'];

/**
 * Per request: the language from `?lang=` (remembered in the cookie) or else the `lang` cookie, and the signed-in user from the `fp_session` cookie,
 * verified by bknd (`/api/auth/me`). A token bknd refuses clears the cookie; bknd being down leaves
 * the visitor anonymous for this request with `bkndUnavailable` set, so pages answer 503 instead of "sign in".
 */
export const handle: Handle = async ({ event, resolve }) => {
	// One JSON line per request (route id, method, status, ms, tenant; no path, query or header): lib/server/requestLog.ts.
	// A request that throws here is logged as the 500 SvelteKit answers for it.
	const started = Date.now();
	let status = 500;
	try {
		const response = await handleRequest({ event, resolve });
		status = response.status;
		return response;
	} finally {
		console.log(requestLogLine(event, status, Date.now() - started));
	}
};

const handleRequest: Handle = async ({ event, resolve }) => {
	const env = getEnv(event.platform);
	const { locals, cookies, url } = event;
	const cookieLang = cookies.get(LANG_COOKIE);
	locals.lang = requestLang(url.searchParams.get(LANG_QUERY), cookieLang);
	// A visitor who arrives on `?lang=en` (a search result) keeps English on the next page, whose links carry no query.
	if (url.searchParams.has(LANG_QUERY) && locals.lang !== cookieLang) cookies.set(LANG_COOKIE, locals.lang, langCookieOptions(url, env));
	locals.user = null;
	locals.bkndToken = null;
	locals.bkndUnavailable = false;

	const token = cookies.get(SESSION_COOKIE);
	if (token && !NO_SESSION_PATHS.includes(url.pathname)) {
		try {
			const user = await me(env, token);
			if (user) {
				locals.user = user;
				locals.bkndToken = token;
			} else {
				clearSessionCookie(cookies, url, env);
			}
		} catch (caught) {
			if (!(caught instanceof BkndUnavailableError)) throw caught;
			console.error(`[session] ${caught.message}`);
			locals.bkndUnavailable = true;
		}
	}

	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', locals.lang)
	});
	try {
		response.headers.set('x-content-type-options', 'nosniff');
		response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
		if (!response.headers.has('x-frame-options')) response.headers.set('x-frame-options', 'DENY');
	} catch {
		// Some responses (e.g. passed-through fetch answers) have immutable headers; they are fine without these.
	}
	return response;
};

/** Unexpected errors: logged with an id the user can quote; the message stays generic and translated. */
export const handleError: HandleServerError = ({ error, event, status }) => {
	const lang = event.locals.lang ?? 'fr';
	if (status === 404) return { message: translate(lang, 'error.body404') };
	const errorId = crypto.randomUUID().slice(0, 8);
	// The route id, not the path: a path can hold a one-time token (`/welcome/<token>`) or an email.
	console.error(`[error ${errorId}] ${event.request.method} ${event.route.id ?? '(no route)'}`, error);
	return { message: translate(lang, 'error.body500'), errorId };
};
