import { fail } from '@sveltejs/kit';
import { APPLICATION_FIELDS } from '$shared/bootcamp/application';
import { translate } from '$lib/i18n';
import { clientAddress } from '$lib/server/publicForms/clientAddress';
import { getEnv } from '$lib/server/env';
import { fetchPublicCohorts } from './bootcampBknd.server';
import { readLimitedForm } from './readLimitedForm.server';
import { submitApplication } from './submitApplication.server';
import type { Actions, PageServerLoad } from './$types';

/** The bootcamp page: its cohorts from bknd (`null` when bknd cannot say; the rest of the page still shows). */
export const load: PageServerLoad = async ({ locals, platform }) => ({
	description: translate(locals.lang, 'bootcamp.metaDescription'),
	cohorts: await fetchPublicCohorts(getEnv(platform))
});

/** What the form shows again after a post without JavaScript: the typed values, never the honeypot. */
function keptValues(values: Record<string, string>): Record<string, string> {
	return Object.fromEntries(APPLICATION_FIELDS.filter((name) => typeof values[name] === 'string').map((name) => [name, values[name]!.slice(0, 5000)]));
}

export const actions: Actions = {
	/**
	 * The application form without JavaScript (with it, the page posts JSON to /api/bootcamp/applications):
	 * the same checks, the same messages, the typed values sent back on any error.
	 */
	apply: async (event) => {
		const { locals, platform } = event;
		const body = await readLimitedForm(event.request);
		if (!body.ok) return fail(body.status, { values: {}, fields: {}, message: translate(locals.lang, body.status === 413 ? 'form.bodyTooLarge' : 'form.invalid') });
		const values = keptValues(body.values);
		const result = await submitApplication(getEnv(platform), locals.lang, clientAddress(event), body.values);
		if (result.status === 201) return { applied: { name: values.fullName?.trim() ?? '', cohortId: Number(values.cohortId) } };
		return fail(result.status, { values, fields: 'fields' in result ? result.fields : {}, message: result.message });
	}
};
