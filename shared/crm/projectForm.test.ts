import { describe, expect, it } from 'vitest';
import { figmaFileKey, projectCreateSchema, projectUpdateSchema } from './projectForm';
import { projectListQuerySchema } from './projectListQuery';
import { projectMoveSchema } from './projectMove';
import { codesByField, issuesByField } from './testIssues';

// A form as the browser sends it: every value a string, empty inputs as ''.
const form = {
	title: 'Carte des parcelles',
	description: '',
	category: 'agritech',
	status: 'planning',
	progress: '',
	start_date: '2026-02-02',
	due_date: '2026-06-30',
	budget_mga: '45 000 000',
	figma_file_key: '',
	internal_notes: '',
	margin_pct: '12,5'
};

describe('projectUpdateSchema / projectCreateSchema (project forms)', () => {
	it('CRM-PROJECT-1 gives a bknd body: numbers as typed in French, empties null, progress 0 by default', () => {
		expect(projectUpdateSchema.parse(form)).toEqual({
			title: 'Carte des parcelles',
			description: null,
			category: 'agritech',
			status: 'planning',
			progress: 0,
			start_date: '2026-02-02',
			due_date: '2026-06-30',
			budget_mga: 45_000_000,
			figma_file_key: null,
			internal_notes: null,
			margin_pct: 12.5
		});
		expect(projectCreateSchema.parse({ ...form, clients_id: '3' }).clients_id).toBe(3);
	});

	it('CRM-PROJECT-2 a new project needs its client; the edit form has none (a project never changes tenant here)', () => {
		expect(issuesByField(projectCreateSchema.safeParse({ ...form, clients_id: '' }))).toEqual({ clients_id: 'crm.chooseClient' });
		expect(issuesByField(projectCreateSchema.safeParse({ ...form, clients_id: 'abc' }))).toEqual({ clients_id: 'crm.chooseClient' });
		expect(projectUpdateSchema.parse({ ...form, clients_id: '9' })).not.toHaveProperty('clients_id');
	});

	it('CRM-PROJECT-3 progress is a whole 0-100, the budget whole ariary, dates real dates', () => {
		const result = projectUpdateSchema.safeParse({ ...form, progress: '101', budget_mga: '1500,50', start_date: '2026-02-30' });
		expect(codesByField(result)).toMatchObject({ progress: 'too_big', start_date: 'invalid_format' });
		expect(issuesByField(result)).toMatchObject({ budget_mga: 'crm.budgetWhole' });
		expect(codesByField(projectUpdateSchema.safeParse({ ...form, progress: '-1' }))).toEqual({ progress: 'too_small' });
		expect(issuesByField(projectUpdateSchema.safeParse({ ...form, progress: '50.5' }))).toEqual({ progress: 'form.integer' });
		expect(issuesByField(projectUpdateSchema.safeParse({ ...form, budget_mga: 'beaucoup' }))).toEqual({ budget_mga: 'form.number' });
		expect(codesByField(projectUpdateSchema.safeParse({ ...form, budget_mga: '-5' }))).toEqual({ budget_mga: 'too_small' });
	});

	it('CRM-PROJECT-4 a project cannot be due before it starts', () => {
		expect(issuesByField(projectUpdateSchema.safeParse({ ...form, start_date: '2026-07-01' }))).toEqual({ due_date: 'crm.dueBeforeStart' });
		expect(projectUpdateSchema.safeParse({ ...form, start_date: '', due_date: '2026-01-01' }).success).toBe(true);
	});

	it('CRM-PROJECT-5 status and category must be known ones', () => {
		const result = projectUpdateSchema.safeParse({ ...form, status: 'archived', category: '' });
		expect(issuesByField(result)).toEqual({ status: 'form.choose', category: 'form.choose' });
	});

	it('CRM-PROJECT-6 the Figma field takes a file key or a link to the file', () => {
		expect(projectUpdateSchema.parse({ ...form, figma_file_key: 'hT4kZ9pQ2mW8xR1vN6bL3c' }).figma_file_key).toBe('hT4kZ9pQ2mW8xR1vN6bL3c');
		expect(figmaFileKey('https://www.figma.com/design/hT4kZ9pQ2mW8xR1vN6bL3c/Suivi-recoltes?node-id=1-2')).toBe('hT4kZ9pQ2mW8xR1vN6bL3c');
		expect(projectUpdateSchema.parse({ ...form, figma_file_key: 'https://figma.com/file/Qm7Rt2yUv5Xc8Zb1Nd4Kf9' }).figma_file_key).toBe('Qm7Rt2yUv5Xc8Zb1Nd4Kf9');
		for (const bad of ['abc', 'https://evil.example/design/hT4kZ9pQ2mW8xR1vN6bL3c', 'hT4k Z9pQ2mW8']) {
			expect(issuesByField(projectUpdateSchema.safeParse({ ...form, figma_file_key: bad })), bad).toEqual({ figma_file_key: 'crm.figmaKeyFormat' });
		}
	});

	it('CRM-PROJECT-7 the title is required and every error is reported at once', () => {
		const result = projectUpdateSchema.safeParse({ ...form, title: ' ', margin_pct: '300' });
		expect(issuesByField(result)).toMatchObject({ title: 'form.required' });
		expect(codesByField(result)).toMatchObject({ margin_pct: 'too_big' });
	});
});

describe('projectMoveSchema (board moves)', () => {
	it('takes a project id and a known status, nothing else', () => {
		expect(projectMoveSchema.parse({ project_id: '12', status: 'review' })).toEqual({ project_id: 12, status: 'review' });
		expect(issuesByField(projectMoveSchema.safeParse({ project_id: '0', status: 'done' }))).toEqual({ project_id: 'form.invalid', status: 'form.choose' });
	});
});

describe('projectListQuerySchema (?tenant=&status=&category=&late=&page=)', () => {
	it('keeps good filters and drops bad ones without failing', () => {
		expect(projectListQuerySchema.parse({ tenant: '2', status: 'review', category: 'design', late: '1', page: '2' })).toEqual({
			tenant: 2,
			status: 'review',
			category: 'design',
			late: true,
			page: 2
		});
		expect(projectListQuerySchema.parse({ tenant: 'x', status: 'nope', category: '', late: 'no', page: '0' })).toEqual({
			tenant: null,
			status: null,
			category: null,
			late: false,
			page: 1
		});
		expect(projectListQuerySchema.parse({})).toEqual({ tenant: null, status: null, category: null, late: false, page: 1 });
	});
});
