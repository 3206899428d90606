import { fail, redirect } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { SPACE_HOME, safeNextPath } from '$lib/navigation';
import { BkndUnavailableError } from '$lib/server/bknd';
import { getEnv } from '$lib/server/env';
import { clientAddress } from '$lib/server/publicForms/clientAddress';
import { credentialsSchema, signIn, throttledMessageKey, waitMinutes } from '$lib/server/signIn';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	// Already signed in: go on to where the visitor was heading.
	if (locals.user) redirect(303, safeNextPath(url.searchParams.get('next')) ?? SPACE_HOME);
	return { next: safeNextPath(url.searchParams.get('next')) };
};

export const actions: Actions = {
	/** The sign-in form (works without JavaScript); the same logic as `POST /api/session`. */
	default: async (event) => {
		const { request, cookies, url, platform, locals } = event;
		const form = await request.formData();
		const email = form.get('email')?.toString() ?? '';
		const credentials = credentialsSchema.safeParse({ email, password: form.get('password')?.toString() ?? '' });
		if (!credentials.success) return fail(400, { email, error: translate(locals.lang, 'login.invalidBody') });
		let home: string;
		try {
			const result = await signIn(getEnv(platform), cookies, url, credentials.data, clientAddress(event));
			if (!result.ok && result.reason === 'throttled') {
				const minutes = waitMinutes(result.retryAfterSeconds);
				return fail(429, { email, error: translate(locals.lang, throttledMessageKey(minutes), { minutes }) });
			}
			if (!result.ok) return fail(401, { email, error: translate(locals.lang, 'login.invalidCredentials') });
			home = result.home;
		} catch (caught) {
			if (caught instanceof BkndUnavailableError) return fail(503, { email, error: translate(locals.lang, 'api.bkndUnavailable') });
			throw caught;
		}
		redirect(303, safeNextPath(url.searchParams.get('next')) ?? home);
	}
};
