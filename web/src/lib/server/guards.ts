import { error, json, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '$shared/roles';
import { translate, type MessageKey } from '$lib/i18n';
import { BkndUnavailableError } from './bknd';

type Signed = { user: SessionUser; token: string };

/**
 * The signed-in user of a page load: redirects anonymous visitors to `/login?next=<this page>`,
 * and answers 503 when bknd could not be asked who they are.
 */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): Signed {
	const { locals, url } = event;
	if (locals.bkndUnavailable) error(503, translate(locals.lang, 'api.bkndUnavailable'));
	if (!locals.user || !locals.bkndToken) {
		redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	}
	return { user: locals.user, token: locals.bkndToken };
}

/** Runs bknd calls of a page load; bknd being down becomes a clear 503 page instead of a 500. */
export async function withBknd<T>(lang: App.Locals['lang'], run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (caught) {
		if (caught instanceof BkndUnavailableError) {
			console.error(`[bknd] ${caught.message}`);
			error(503, translate(lang, 'api.bkndUnavailable'));
		}
		throw caught;
	}
}

/** A JSON error answer `{ error }` in the user's language, never cached. */
export function jsonError(event: Pick<RequestEvent, 'locals'>, status: number, key: MessageKey, headers: Record<string, string> = {}): Response {
	return json({ error: translate(event.locals.lang, key) }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}
