import type { LayoutServerLoad } from './$types';

/** Who is signed in and in which language: the only session facts the browser gets (never the bknd token). */
export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user,
	lang: locals.lang,
	degraded: locals.bkndUnavailable
});
