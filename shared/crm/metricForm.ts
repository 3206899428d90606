import { z } from 'zod';
import { optionalNumber, optionalText, requiredDate, requiredNumber, rowId } from './formFields';

/** A metric key is a stable identifier shared with the dashboards' labels (`farmers_onboarded`, `hectares_covered`). */
export const METRIC_KEY_PATTERN = /^[a-z][a-z0-9_]{0,47}$/;
/** Bounds of a metric's value and target: far beyond any tracked figure. */
const METRIC_LIMIT = 1_000_000_000_000;

const metricKeySchema = z.preprocess(
	// Typed as words ("Hectares couverts ") it becomes `hectares_couverts`.
	(v) => (typeof v === 'string' ? v.trim().toLowerCase().replace(/[\s-]+/g, '_') : v),
	z.string({ error: 'form.required' }).min(1, 'form.required').regex(METRIC_KEY_PATTERN, 'crm.metricKeyFormat')
);

const metricFields = {
	key: metricKeySchema,
	value: requiredNumber(z.number().min(-METRIC_LIMIT).max(METRIC_LIMIT)),
	target: optionalNumber(z.number().min(-METRIC_LIMIT).max(METRIC_LIMIT)),
	unit: optionalText(24),
	date: requiredDate()
};

/** A new measure of a project (bknd `project_metrics` body without `projects_id`, which the page's project gives). */
export const metricAddSchema = z.object(metricFields);
export type MetricAdd = z.output<typeof metricAddSchema>;

/** A corrected measure: the same fields and the row's id. */
export const metricUpdateSchema = z.object({ metric_id: rowId('form.invalid'), ...metricFields });
export type MetricUpdate = z.output<typeof metricUpdateSchema>;

/** Deleting a measure (a wrong entry; measures are not an audit trail). */
export const metricDeleteSchema = z.object({ metric_id: rowId('form.invalid') });
