import { translate } from '$lib/i18n';
import type { PageServerLoad } from './$types';

/** The home page asks bknd nothing (fast for everyone); only its description, in the visitor's language. */
export const load: PageServerLoad = ({ locals }) => ({ description: translate(locals.lang, 'site.metaDescription') });
