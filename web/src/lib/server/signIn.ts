import type { Cookies } from '@sveltejs/kit';
import { z } from 'zod';
import type { SessionUser } from '$shared/roles';
import { homePath, landingUrl } from '$lib/navigation';
import { login, readClient } from './bknd';
import type { ServerEnv } from './env';
import { setSessionCookie } from './session';

/** The sign-in body, for both `POST /api/session` (JSON) and the /login form. */
export const credentialsSchema = z.object({
	email: z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254)),
	password: z.string().min(1).max(1024)
});

export type SignInResult =
	| { ok: true; user: SessionUser; home: string }
	| { ok: false; reason: 'invalid-credentials' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Logs in at bknd for the visitor at `clientAddress` and, on success, stores the bknd token in the httpOnly
 * session cookie. Wrong credentials set no cookie; too many failures (bknd's throttle) answer `throttled` with the
 * wait. Throws `BkndUnavailableError` when bknd cannot answer.
 */
export async function signIn(
	env: ServerEnv,
	cookies: Cookies,
	url: URL,
	credentials: z.infer<typeof credentialsSchema>,
	clientAddress: string
): Promise<SignInResult> {
	const result = await login(env, credentials.email, credentials.password, clientAddress);
	if (!result.ok) return result.reason === 'throttled' ? result : { ok: false, reason: 'invalid-credentials' };
	setSessionCookie(cookies, url, env, result.token);
	// A client lands on its tenant: find its slug with its own token.
	let slug: string | null = null;
	if (result.user.role === 'client' && result.user.clientId !== null) {
		slug = (await readClient(env, result.token, result.user.clientId))?.slug ?? null;
	}
	return { ok: true, user: result.user, home: landingUrl(homePath(result.user, slug), url) };
}

/** The wait of a throttled sign-in in whole minutes, as the message shows it (at least 1). */
export function waitMinutes(retryAfterSeconds: number): number {
	return Math.max(1, Math.ceil(retryAfterSeconds / 60));
}

/** The message key for a throttled sign-in: French and English say "1 minute" but "2 minutes". */
export function throttledMessageKey(minutes: number): 'login.throttledOne' | 'login.throttledMany' {
	return minutes === 1 ? 'login.throttledOne' : 'login.throttledMany';
}
