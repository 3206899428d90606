import { error, redirect } from '@sveltejs/kit';
import { projectUpdateSchema } from '$shared/crm/projectForm';
import { projectFormValues } from '$lib/components/crm/projectValues';
import { translate } from '$lib/i18n';
import { readProjectRow, updateProject } from '$lib/server/crm/projects';
import { saveFailure, staffAction, staffFormLoad } from '$lib/server/crm/staffForms';
import type { Actions, PageServerLoad } from './$types';

/** The project form over its current values (staff only; internal notes and margin included). */
export const load: PageServerLoad = (event) =>
	staffFormLoad(event, { title: null as string | null, values: {} as Record<string, string> }, async ({ env, token }) => {
		const project = await readProjectRow(env, token, Number(event.params.id));
		if (!project) error(404, translate(event.locals.lang, 'crm.projectGone'));
		return { title: project.title, values: projectFormValues(project) };
	});

export const actions: Actions = {
	/** Saves the project with one PATCH (every live dashboard follows), then shows its page. */
	default: (event) =>
		staffAction(event, 'project', projectUpdateSchema, async ({ env, token, data, values }) => {
			const id = Number(event.params.id);
			const saved = await updateProject(env, token, id, data);
			if (!saved.ok) return saveFailure('project', values, saved);
			redirect(303, `/crm/projects/${id}?saved=1`);
		})
};
