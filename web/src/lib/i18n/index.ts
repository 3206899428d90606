import type { fr } from './fr';

export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];
/** French first: the default for everyone without a `lang` cookie. */
export const DEFAULT_LANG: Lang = 'fr';
/** The cookie that remembers the language switch (readable by the server on every request). */
export const LANG_COOKIE = 'lang';

export type MessageKey = keyof typeof fr;
export type Messages = { readonly [K in MessageKey]: string };
export type MessageParams = Record<string, string | number>;

// The catalogues are not imported here: this module is in every page's JavaScript, and both languages together
// weigh ~37 kB gzipped, half of a dashboard's budget. The server registers both (catalogues.server.ts, from
// hooks.server.ts); a browser loads only the language it shows (loadCatalogue, from the root +layout.ts).
const loaded: Partial<Record<Lang, Messages>> = {};

/** Makes `messages` the catalogue of `lang` in this runtime. */
export function registerCatalogue(lang: Lang, messages: Messages): void {
	loaded[lang] = messages;
}

/** Loads the catalogue of `lang` (a separate chunk in the browser) unless it is already there. */
export async function loadCatalogue(lang: Lang): Promise<void> {
	if (loaded[lang]) return;
	registerCatalogue(lang, lang === 'en' ? (await import('./en')).en : (await import('./fr')).fr);
}

/** `fr` or `en` from a cookie value or any untrusted string; the default otherwise. */
export function parseLang(value: string | null | undefined): Lang {
	return value === 'en' || value === 'fr' ? value : DEFAULT_LANG;
}

/**
 * The query parameter that asks for a language on one request (`/bootcamp?lang=en`) without changing the cookie:
 * a link search engines can follow (they keep no cookies), listed in sitemap.xml with its hreflang.
 */
export const LANG_QUERY = 'lang';

/** The language of a request: a valid `?lang=` first, else the cookie, else the default. */
export function requestLang(query: string | null, cookie: string | null | undefined): Lang {
	return query === 'en' || query === 'fr' ? query : parseLang(cookie);
}

/** Whether `text` is a key of the catalogue (e.g. a zod message that names its own translation). */
export function isMessageKey(text: string): text is MessageKey {
	const any = loaded.fr ?? loaded.en;
	return any !== undefined && Object.hasOwn(any, text);
}

/**
 * The message `key` in `lang`, with `{name}` placeholders filled from `params`; the key itself if no catalogue is
 * loaded yet (never the case once the root layout has run).
 * @example translate('fr', 'home.welcome', { name: 'Hery' }) // "Bonjour Hery !"
 */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
	const template = loaded[lang]?.[key] ?? loaded.fr?.[key] ?? loaded.en?.[key] ?? key;
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A `t(key, params)` bound to one language, for server code. */
export function translator(lang: Lang): (key: MessageKey, params?: MessageParams) => string {
	return (key, params) => translate(lang, key, params);
}
