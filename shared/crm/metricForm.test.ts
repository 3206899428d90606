import { describe, expect, it } from 'vitest';
import { metricAddSchema, metricDeleteSchema, metricUpdateSchema } from './metricForm';
import { codesByField, issuesByField } from './testIssues';

const form = { key: 'farmers_onboarded', value: '97', target: '120', unit: 'producteurs', date: '2026-01-05' };

describe('metricAddSchema / metricUpdateSchema (agritech tracking)', () => {
	it('CRM-METRIC-1 gives a bknd project_metrics body', () => {
		expect(metricAddSchema.parse(form)).toEqual({ key: 'farmers_onboarded', value: 97, target: 120, unit: 'producteurs', date: '2026-01-05' });
		expect(metricAddSchema.parse({ ...form, value: '12,5', target: '', unit: '' })).toMatchObject({ value: 12.5, target: null, unit: null });
	});

	it('CRM-METRIC-2 a key typed as words becomes an identifier; other characters are refused', () => {
		expect(metricAddSchema.parse({ ...form, key: ' Hectares couverts ' }).key).toBe('hectares_couverts');
		expect(issuesByField(metricAddSchema.safeParse({ ...form, key: 'récolte (t)' }))).toEqual({ key: 'crm.metricKeyFormat' });
		expect(issuesByField(metricAddSchema.safeParse({ ...form, key: '2024' }))).toEqual({ key: 'crm.metricKeyFormat' });
	});

	it('CRM-METRIC-3 value and date are required; the value must be a number', () => {
		expect(issuesByField(metricAddSchema.safeParse({ ...form, value: '', date: '' }))).toEqual({ value: 'form.required', date: 'form.required' });
		expect(issuesByField(metricAddSchema.safeParse({ ...form, value: 'beaucoup' }))).toEqual({ value: 'form.number' });
		expect(codesByField(metricAddSchema.safeParse({ ...form, date: '05/01/2026' }))).toEqual({ date: 'invalid_format' });
	});

	it('CRM-METRIC-4 an edit or a delete names the measure', () => {
		expect(metricUpdateSchema.parse({ ...form, metric_id: '3' }).metric_id).toBe(3);
		expect(issuesByField(metricUpdateSchema.safeParse({ ...form, metric_id: '' }))).toEqual({ metric_id: 'form.invalid' });
		expect(metricDeleteSchema.parse({ metric_id: '3' })).toEqual({ metric_id: 3 });
	});
});
