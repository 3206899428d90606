import { LANG_QUERY, DEFAULT_LANG, type Lang } from '../../i18n';

/** The pages search engines may index, each in both languages: the public site. Everything else is private. */
export const PUBLIC_PAGES = ['/', '/bootcamp', '/intake'] as const;

/**
 * The address of a public page in one language. The default language is the bare path (what a visitor without
 * a cookie gets); the other adds `?lang=` (hooks.server.ts reads it before the cookie).
 * @example pageUrl('https://fata.plus', '/bootcamp', 'en') // "https://fata.plus/bootcamp?lang=en"
 */
export function pageUrl(origin: string, path: string, lang: Lang): string {
	return `${origin}${path}${lang === DEFAULT_LANG ? '' : `?${LANG_QUERY}=${lang}`}`;
}
