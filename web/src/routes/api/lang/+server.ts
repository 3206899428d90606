import { json, redirect, type RequestHandler } from '@sveltejs/kit';
import { LANG_COOKIE, parseLang } from '$lib/i18n';
import { safeNextPath } from '$lib/navigation';
import { getEnv } from '$lib/server/env';
import { langCookieOptions } from '$lib/server/session';

/**
 * Remembers the language switch in the `lang` cookie. A plain form post (no JavaScript) is sent
 * back to `next`; a `fetch` with `accept: application/json` gets `{ lang }`.
 */
export const POST: RequestHandler = async ({ request, cookies, url, platform }) => {
	const form = await request.formData().catch(() => null);
	const lang = parseLang(form?.get('lang')?.toString());
	cookies.set(LANG_COOKIE, lang, langCookieOptions(url, getEnv(platform)));
	if (request.headers.get('accept')?.includes('application/json')) return json({ lang }, { headers: { 'cache-control': 'no-store' } });
	redirect(303, safeNextPath(form?.get('next')?.toString()) ?? '/');
};
