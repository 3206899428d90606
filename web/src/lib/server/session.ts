import type { Cookies } from '@sveltejs/kit';
import { decodeJwt } from 'jose';
import { BkndUnavailableError, endSession } from './bknd';
import type { ServerEnv } from './env';

/** Holds the user's bknd JWT. httpOnly: browser JavaScript never sees it. */
export const SESSION_COOKIE = 'fp_session';
/** A bknd token without `exp` (misconfigured bknd) still gets a bounded cookie. */
const FALLBACK_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** When the token stops being valid, read from its `exp` claim (not verified: bknd verifies it on each request). */
export function tokenExpiry(token: string, now = Date.now()): Date {
	try {
		const { exp } = decodeJwt(token);
		if (typeof exp === 'number' && exp * 1000 > now) return new Date(exp * 1000);
	} catch {
		// Not a JWT: fall through to the short default; bknd will refuse it at the next request anyway.
	}
	return new Date(now + FALLBACK_LIFETIME_MS);
}

/**
 * Cookie attributes for this request. `Secure` only over https (kit would otherwise drop it on
 * `*.localhost`); in production on the base domain, `Domain=<BASE_DOMAIN>` so every tenant subdomain shares the session.
 */
export function cookieOptions(url: URL, env: ServerEnv) {
	const host = url.hostname.toLowerCase();
	const shareAcrossSubdomains = env.ENVIRONMENT === 'production' && (host === env.BASE_DOMAIN || host.endsWith(`.${env.BASE_DOMAIN}`));
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: url.protocol === 'https:',
		...(shareAcrossSubdomains ? { domain: env.BASE_DOMAIN } : {})
	};
}

export function setSessionCookie(cookies: Cookies, url: URL, env: ServerEnv, token: string): void {
	cookies.set(SESSION_COOKIE, token, { ...cookieOptions(url, env), expires: tokenExpiry(token) });
}

export function clearSessionCookie(cookies: Cookies, url: URL, env: ServerEnv): void {
	cookies.delete(SESSION_COOKIE, cookieOptions(url, env));
}

/**
 * Sign-out (`DELETE /api/session`, the /logout form): bknd ends the session first, so the token is refused
 * everywhere at once (a copy of the cookie is worth nothing from then on); then the cookie is cleared. If bknd
 * cannot answer, the cookie is cleared all the same and the log says the token lives on until it expires.
 */
export async function endSessionAndClearCookie(cookies: Cookies, url: URL, env: ServerEnv): Promise<void> {
	const token = cookies.get(SESSION_COOKIE);
	if (token) {
		try {
			await endSession(env, token);
		} catch (caught) {
			if (!(caught instanceof BkndUnavailableError)) throw caught;
			console.error(`[session] sign-out could not reach bknd (${caught.message}): the cookie is cleared, the token stays valid until it expires`);
		}
	}
	clearSessionCookie(cookies, url, env);
}

/** The language cookie: readable by the server on every request, kept a year, not secret. */
export function langCookieOptions(url: URL, env: ServerEnv) {
	return { ...cookieOptions(url, env), httpOnly: false, maxAge: 60 * 60 * 24 * 365 };
}
