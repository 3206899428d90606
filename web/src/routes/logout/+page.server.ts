import { redirect } from '@sveltejs/kit';
import { getEnv } from '$lib/server/env';
import { endSessionAndClearCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

// Signing out changes state, so only a POST does it; a visit to /logout just goes home.
export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	/** bknd ends the session at once (see endSessionAndClearCookie), then the cookie goes. */
	default: async ({ cookies, url, platform }) => {
		await endSessionAndClearCookie(cookies, url, getEnv(platform));
		redirect(303, '/login');
	}
};
