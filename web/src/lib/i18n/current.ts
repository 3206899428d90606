import { page } from '$app/state';
import { parseLang, translate, type Lang, type MessageKey, type MessageParams } from './index';

/** The page's language (root layout data, from the `lang` cookie). Reactive inside components. */
export function currentLang(): Lang {
	return parseLang(page.data?.lang);
}

/** Translates in the page's language; use it in components (server code uses `translate(locals.lang, …)`). */
export function t(key: MessageKey, params?: MessageParams): string {
	return translate(currentLang(), key, params);
}
