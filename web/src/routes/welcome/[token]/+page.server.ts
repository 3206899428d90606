import { error, fail, redirect } from '@sveltejs/kit';
import { PASSWORD_LINK_TOKEN_PATTERN, passwordSetSchema } from '$shared/crm/password';
import { fieldErrors } from '$lib/forms/fieldErrors';
import { translate } from '$lib/i18n';
import { BkndUnavailableError } from '$lib/server/bknd';
import { checkPasswordLink, consumePasswordLink } from '$lib/server/crm/passwordLinks';
import { getEnv } from '$lib/server/env';
import { clientAddress } from '$lib/server/publicForms/clientAddress';
import { signIn } from '$lib/server/signIn';
import type { Actions, PageServerLoad } from './$types';

// `/welcome/<token>`: the one-time link a staff member passed on. Public: the token is the credential, checked
// by bknd (only its hash is stored there). The page is never cached, and never sends its URL (token included) as
// a referrer: its `<meta name="referrer" content="no-referrer">` wins over the site-wide header of hooks.server.ts.
// After the password is set, the person is signed in with it (the normal sign-in, so the same cookie and checks
// as /login) and sent to their space: a client to their tenant's portal.

const PRIVATE_PAGE = { 'cache-control': 'no-store' };

export const load: PageServerLoad = async ({ params, platform, locals, setHeaders }) => {
	setHeaders(PRIVATE_PAGE);
	if (!PASSWORD_LINK_TOKEN_PATTERN.test(params.token)) return { link: { ok: false as const, code: 'unknown' as const } };
	try {
		const verdict = await checkPasswordLink(getEnv(platform), params.token);
		return { link: verdict.ok ? { ok: true as const, email: verdict.account.email, name: verdict.account.name } : { ok: false as const, code: verdict.code } };
	} catch (caught) {
		if (!(caught instanceof BkndUnavailableError)) throw caught;
		console.error(`[welcome] ${caught.message}`);
		error(503, translate(locals.lang, 'api.bkndUnavailable'));
	}
};

export const actions: Actions = {
	/** Sets the password (zod: ≥ 10 characters, the same twice), uses the link, signs the person in. */
	// No setHeaders here: the page's load sets them on the answer (SvelteKit refuses a header set twice).
	default: async (event) => {
		const { request, params, platform, cookies, url, locals } = event;
		const form = await request.formData();
		// Passwords are never sent back to the page, not even after an error (they would sit in its HTML).
		const parsed = passwordSetSchema.safeParse({ password: String(form.get('password') ?? ''), confirm: String(form.get('confirm') ?? '') });
		if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.error) });
		if (!PASSWORD_LINK_TOKEN_PATTERN.test(params.token)) return fail(404, { refused: 'unknown' as const });
		const env = getEnv(platform);
		let home: string;
		try {
			const used = await consumePasswordLink(env, params.token, parsed.data.password);
			if (!used.ok) return fail(used.code === 'unknown' ? 404 : 410, { refused: used.code });
			// The new password ended every earlier session of the account (bknd/auth/sessions.ts); this one is new.
			const session = await signIn(env, cookies, url, { email: used.account.email, password: parsed.data.password }, clientAddress(event));
			if (!session.ok) return fail(500, { signInFailed: true });
			home = session.home;
		} catch (caught) {
			if (!(caught instanceof BkndUnavailableError)) throw caught;
			console.error(`[welcome] ${caught.message}`);
			return fail(503, { bkndUnavailable: true, message: translate(locals.lang, 'form.bkndUnavailable') });
		}
		redirect(303, home);
	}
};
