import { error, redirect } from '@sveltejs/kit';
import { clientFormSchema } from '$shared/crm/clientForm';
import { projectRowSchema } from '$shared/entities';
import { translate } from '$lib/i18n';
import { readClientRow, updateClient, type ClientOption } from '$lib/server/crm/clients';
import { readPage } from '$lib/server/crm/crmData';
import { saveFailure, staffAction, staffFormLoad } from '$lib/server/crm/staffForms';
import type { Actions, PageServerLoad } from './$types';

/** The client form over a client's current values; the slug is locked once the client has projects. */
export const load: PageServerLoad = (event) =>
	staffFormLoad(event, { client: null as ClientOption | null, values: {} as Record<string, string>, slugLocked: false }, async ({ env, token }) => {
		const id = Number(event.params.id);
		const [client, projects] = await Promise.all([
			readClientRow(env, token, id),
			readPage(env, token, 'projects', projectRowSchema, { where: { clients_id: id }, limit: 1 })
		]);
		if (!client) error(404, translate(event.locals.lang, 'crm.clientGone'));
		const values: Record<string, string> = {
			name: client.name,
			slug: client.slug,
			industry: client.industry ?? '',
			country: client.country ?? '',
			contact_name: client.contact_name ?? '',
			contact_email: client.contact_email ?? '',
			contact_phone: client.contact_phone ?? ''
		};
		return { client: { id: client.id, name: client.name, slug: client.slug }, values, slugLocked: projects.count > 0 };
	});

export const actions: Actions = {
	/** Saves the client; a slug change once projects exist, or a slug bknd refuses, is the slug field's error. */
	default: (event) =>
		staffAction(event, 'client', clientFormSchema, async ({ env, token, data, values }) => {
			const id = Number(event.params.id);
			const saved = await updateClient(env, token, id, data);
			if (!saved.ok) return saveFailure('client', values, saved);
			redirect(303, `/crm/clients/${id}?saved=1`);
		})
};
