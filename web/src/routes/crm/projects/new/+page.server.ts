import { redirect } from '@sveltejs/kit';
import { projectCreateSchema } from '$shared/crm/projectForm';
import { listClientOptions, type ClientOption } from '$lib/server/crm/clients';
import { createProject } from '$lib/server/crm/projects';
import { saveFailure, staffAction, staffFormLoad } from '$lib/server/crm/staffForms';
import type { Actions, PageServerLoad } from './$types';

/** The new-project form; `?tenant=<client id>` picks the client beforehand (from a client's page). */
export const load: PageServerLoad = (event) =>
	staffFormLoad(event, { clients: [] as ClientOption[], tenant: '' }, async ({ env, token }) => {
		const clients = await listClientOptions(env, token);
		const asked = event.url.searchParams.get('tenant') ?? '';
		return { clients, tenant: clients.some((c) => String(c.id) === asked) ? asked : '' };
	});

export const actions: Actions = {
	/** Creates the project (bknd's bridge announces it to the tenant's live room), then shows its page. */
	default: (event) =>
		staffAction(event, 'project', projectCreateSchema, async ({ env, token, data, values }) => {
			const saved = await createProject(env, token, data);
			if (!saved.ok) return saveFailure('project', values, saved);
			redirect(303, `/crm/projects/${saved.project.id}?created=1`);
		})
};
