import { error, redirect } from '@sveltejs/kit';
import { metricAddSchema, metricDeleteSchema, metricUpdateSchema } from '$shared/crm/metricForm';
import { shareGrantSchema, shareRevokeSchema } from '$shared/crm/shareForm';
import type { ProjectMetricRow, ProjectRow } from '$shared/entities';
import type { MetricSeries } from '$lib/live/dashboardViews';
import type { PartnerOption, ShareView } from '$lib/components/crm/shareView';
import { translate } from '$lib/i18n';
import { isLate, todayInMadagascar } from '$lib/live/dashboardViews';
import { readClientRow, type ClientOption } from '$lib/server/crm/clients';
import { addMetric, deleteMetric, listMetrics, metricChartSeries, updateMetric } from '$lib/server/crm/metrics';
import { readProjectRow } from '$lib/server/crm/projects';
import { grantShare, projectSharing, revokeShare } from '$lib/server/crm/shares';
import { formFailure, saveFailure, staffAction, staffFormLoad, type Staff } from '$lib/server/crm/staffForms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** A project's CRM page: overview (internal fields included), metrics, and partner sharing. */
export const load: PageServerLoad = (event) =>
	staffFormLoad(
		event,
		{
			project: null as ProjectRow | null,
			client: null as ClientOption | null,
			late: false,
			metrics: [] as ProjectMetricRow[],
			series: [] as MetricSeries[],
			shares: [] as ShareView[],
			partners: [] as PartnerOption[],
			editing: null as ProjectMetricRow | null,
			created: false,
			saved: false
		},
		async ({ env, token }) => {
			const id = Number(event.params.id);
			const project = await readProjectRow(env, token, id);
			if (!project) error(404, translate(event.locals.lang, 'crm.projectGone'));
			const [client, metrics, sharing] = await Promise.all([
				project.clients_id === null ? null : readClientRow(env, token, project.clients_id),
				listMetrics(env, token, id),
				projectSharing(env, token, project)
			]);
			const editId = Number(event.url.searchParams.get('metric'));
			return {
				project,
				client: client ? { id: client.id, name: client.name, slug: client.slug } : null,
				late: isLate({ dueDate: project.due_date ?? null, status: project.status ?? null }, todayInMadagascar()),
				metrics,
				series: metricChartSeries(metrics, id),
				...sharing,
				editing: metrics.find((m) => m.id === editId) ?? null,
				created: event.url.searchParams.has('created'),
				saved: event.url.searchParams.has('saved')
			};
		}
	);

/** An action on this page's project, which must still exist (a form posted from a stale page says so). */
async function onProject<R>(event: RequestEvent, form: string, values: Record<string, string>, staff: Staff, run: (projectId: number) => Promise<R>) {
	const id = Number(event.params.id);
	if (!(await readProjectRow(staff.env, staff.token, id))) return formFailure(404, { form, values, message: 'crm.projectGone' });
	return run(id);
}

const metricsAnchor = (event: RequestEvent) => `/crm/projects/${event.params.id}#metrics`;

export const actions: Actions = {
	/** A new measure. */
	addMetric: (event) =>
		staffAction(event, 'metricAdd', metricAddSchema, (input) =>
			onProject(event, 'metricAdd', input.values, input, async (projectId) => {
				const saved = await addMetric(input.env, input.token, projectId, input.data);
				return saved.ok ? { form: 'metricAdd', saved: true } : saveFailure('metricAdd', input.values, saved);
			})
		),
	/** A corrected measure; back to the page without the edit form. */
	editMetric: (event) =>
		staffAction(event, 'metricEdit', metricUpdateSchema, (input) =>
			onProject(event, 'metricEdit', input.values, input, async (projectId) => {
				const saved = await updateMetric(input.env, input.token, projectId, input.data);
				if (!saved.ok) return saveFailure('metricEdit', input.values, saved);
				redirect(303, metricsAnchor(event));
			})
		),
	/** A wrong measure removed. */
	deleteMetric: (event) =>
		staffAction(event, 'metricDelete', metricDeleteSchema, (input) =>
			onProject(event, 'metricDelete', input.values, input, async (projectId) => {
				const saved = await deleteMetric(input.env, input.token, projectId, input.data.metric_id);
				return saved.ok ? { form: 'metricDelete', saved: true } : saveFailure('metricDelete', input.values, saved);
			})
		),
	/** Shares the project with a partner agency (granted by the signed-in staff member, now). */
	grantShare: (event) =>
		staffAction(event, 'shareGrant', shareGrantSchema, (input) =>
			onProject(event, 'shareGrant', input.values, input, async (projectId) => {
				const saved = await grantShare(input.env, input.token, input.user, projectId, input.data);
				return saved.ok ? { form: 'shareGrant', saved: true } : saveFailure('shareGrant', input.values, saved);
			})
		),
	/** Ends a share (sets `revoked_at`; the share stays listed). */
	revokeShare: (event) =>
		staffAction(event, 'shareRevoke', shareRevokeSchema, (input) =>
			onProject(event, 'shareRevoke', input.values, input, async (projectId) => {
				const saved = await revokeShare(input.env, input.token, projectId, input.data.share_id);
				return saved.ok ? { form: 'shareRevoke', saved: true } : saveFailure('shareRevoke', input.values, saved);
			})
		)
};
