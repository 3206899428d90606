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

export type SignInResult = { ok: true; user: SessionUser; home: string } | { ok: false; reason: 'invalid-credentials' };

/**
 * Logs in at bknd and, on success, stores the bknd token in the httpOnly session cookie.
 * Wrong credentials set no cookie. Throws `BkndUnavailableError` when bknd cannot answer.
 */
export async function signIn(env: ServerEnv, cookies: Cookies, url: URL, credentials: z.infer<typeof credentialsSchema>): Promise<SignInResult> {
	const result = await login(env, credentials.email, credentials.password);
	if (!result.ok) return { ok: false, reason: 'invalid-credentials' };
	setSessionCookie(cookies, url, env, result.token);
	// A client lands on its tenant: find its slug with its own token.
	let slug: string | null = null;
	if (result.user.role === 'client' && result.user.clientId !== null) {
		slug = (await readClient(env, result.token, result.user.clientId))?.slug ?? null;
	}
	return { ok: true, user: result.user, home: landingUrl(homePath(result.user, slug), url) };
}
