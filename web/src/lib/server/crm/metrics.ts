import type { MetricAdd, MetricUpdate } from '$shared/crm/metricForm';
import { projectMetricRowSchema, type ProjectMetricRow } from '$shared/entities';
import type { FieldErrors } from '$lib/forms/fieldErrors';
import type { MessageKey } from '$lib/i18n';
import { fromSnapshot, type Row } from '$lib/live/dashboardState';
import { metricSeries, type MetricSeries } from '$lib/live/dashboardViews';
import type { ServerEnv } from '../env';
import { deleteRow, insertRow, readAll, readById, updateRow, type WriteResult } from './crmData';

// A project's tracked figures (bknd `project_metrics`: key, value, target, unit, date), entered by staff and
// charted on the client's dashboard (agritech projects: farmers onboarded, hectares covered...).

/** A project's measures, newest date first within each key (keys by name). */
export async function listMetrics(env: ServerEnv, token: string, projectId: number): Promise<ProjectMetricRow[]> {
	const rows = await readAll(env, token, 'project_metrics', projectMetricRowSchema, { where: { projects_id: projectId }, sort: '-date' });
	return rows.sort((a, b) => a.key.localeCompare(b.key) || (b.date ?? '').localeCompare(a.date ?? '') || b.id - a.id);
}

/** The measures as chart series, computed exactly as the client's dashboard does (one point per date, latest target). */
export function metricChartSeries(rows: readonly ProjectMetricRow[], projectId: number): MetricSeries[] {
	return metricSeries(fromSnapshot({ rows: { project_metrics: rows as unknown as Row[] } }), projectId);
}

export type MetricSave = { ok: true } | { ok: false; status: number; errors: FieldErrors } | { ok: false; status: number; message: MessageKey };

function metricSaved(result: WriteResult<unknown> | { ok: true } | { ok: false; status: number; message: string }): MetricSave {
	if (result.ok) return { ok: true };
	if (result.status === 404) return { ok: false, status: 404, message: 'crm.metricGone' };
	console.warn(`[crm] bknd refused a metric write: ${result.status} ${result.message}`);
	return { ok: false, status: result.status, message: 'crm.saveRefused' };
}

/** The measure `metricId` if it belongs to project `projectId` (a form cannot reach another project's rows). */
async function ownMetric(env: ServerEnv, token: string, projectId: number, metricId: number): Promise<ProjectMetricRow | null> {
	const row = await readById(env, token, 'project_metrics', metricId, projectMetricRowSchema);
	return row && row.projects_id === projectId ? row : null;
}

/** Adds a measure to project `projectId`. */
export async function addMetric(env: ServerEnv, token: string, projectId: number, form: MetricAdd): Promise<MetricSave> {
	return metricSaved(await insertRow(env, token, 'project_metrics', projectMetricRowSchema, { ...form, projects_id: projectId }));
}

/** Corrects a measure of project `projectId`. */
export async function updateMetric(env: ServerEnv, token: string, projectId: number, form: MetricUpdate): Promise<MetricSave> {
	if (!(await ownMetric(env, token, projectId, form.metric_id))) return { ok: false, status: 404, message: 'crm.metricGone' };
	const { metric_id, ...fields } = form;
	return metricSaved(await updateRow(env, token, 'project_metrics', metric_id, projectMetricRowSchema, fields));
}

/** Deletes a measure of project `projectId` (a wrong entry). */
export async function deleteMetric(env: ServerEnv, token: string, projectId: number, metricId: number): Promise<MetricSave> {
	if (!(await ownMetric(env, token, projectId, metricId))) return { ok: false, status: 404, message: 'crm.metricGone' };
	return metricSaved(await deleteRow(env, token, 'project_metrics', metricId));
}
