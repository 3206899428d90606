import { en } from './en';
import { fr } from './fr';

export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];
/** French first: the default for everyone without a `lang` cookie. */
export const DEFAULT_LANG: Lang = 'fr';
/** The cookie that remembers the language switch (readable by the server on every request). */
export const LANG_COOKIE = 'lang';

export type MessageKey = keyof typeof fr;
export type Messages = { readonly [K in MessageKey]: string };
export type MessageParams = Record<string, string | number>;

const catalogues: Record<Lang, Messages> = { fr, en };

/** `fr` or `en` from a cookie value or any untrusted string; the default otherwise. */
export function parseLang(value: string | null | undefined): Lang {
	return value === 'en' || value === 'fr' ? value : DEFAULT_LANG;
}

/**
 * The message `key` in `lang`, with `{name}` placeholders filled from `params`.
 * @example translate('fr', 'home.welcome', { name: 'Hery' }) // "Bonjour Hery !"
 */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
	const template = catalogues[lang][key] ?? fr[key];
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A `t(key, params)` bound to one language, for server code. */
export function translator(lang: Lang): (key: MessageKey, params?: MessageParams) => string {
	return (key, params) => translate(lang, key, params);
}

export { fr, en, catalogues };
