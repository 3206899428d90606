import { loadCatalogue } from '$lib/i18n';
import type { LayoutLoad } from './$types';

/** Loads the messages of the page's language before anything renders; the browser fetches only that one. */
export const load: LayoutLoad = async ({ data }) => {
	await loadCatalogue(data.lang);
	return data;
};
