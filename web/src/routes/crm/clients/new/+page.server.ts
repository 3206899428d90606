import { redirect } from '@sveltejs/kit';
import { clientFormSchema } from '$shared/crm/clientForm';
import { createClient } from '$lib/server/crm/clients';
import { saveFailure, staffAction, staffFormLoad } from '$lib/server/crm/staffForms';
import type { Actions, PageServerLoad } from './$types';

/** The new-client form (staff only); nothing to read from bknd. */
export const load: PageServerLoad = (event) => staffFormLoad(event, {}, async () => ({}));

export const actions: Actions = {
	/** Creates the client, then shows its page; a taken or refused slug comes back as the slug field's error. */
	default: (event) =>
		staffAction(event, 'client', clientFormSchema, async ({ env, token, data, values }) => {
			const saved = await createClient(env, token, data);
			if (!saved.ok) return saveFailure('client', values, saved);
			redirect(303, `/crm/clients/${saved.id}?created=1`);
		})
};
