import { z } from 'zod';
import { PROJECT_CATEGORIES, PROJECT_STATUSES } from '../entities';
import { choice, optionalDate, optionalNumber, optionalText, requiredText, rowId } from './formFields';

/** The largest budget the form takes, in ariary (far above any project; keeps sums exact in a double). */
export const BUDGET_MGA_MAX = 1_000_000_000_000;

// A Figma file key, or a Figma link to the file (the key is taken from it): `figma.com/design/<key>/…`.
const FIGMA_KEY = /^[A-Za-z0-9]{10,64}$/;
const FIGMA_LINK = /^https:\/\/(?:www\.)?figma\.com\/(?:file|design|proto|board)\/([A-Za-z0-9]{10,64})(?:[/?#].*)?$/;

/** The key of a Figma file from what was typed: the key itself, or a link to the file. */
export function figmaFileKey(input: string): string {
	return FIGMA_LINK.exec(input)?.[1] ?? input;
}

const figmaKeySchema = z
	.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().optional())
	.transform((v) => (v ? figmaFileKey(v) : null))
	.refine((v) => v === null || FIGMA_KEY.test(v), 'crm.figmaKeyFormat');

/** The fields staff edit on a project (bknd `projects` columns), shared by the create and edit forms. */
const projectFields = {
	title: requiredText(160),
	description: optionalText(4000),
	category: choice(PROJECT_CATEGORIES),
	status: choice(PROJECT_STATUSES),
	progress: optionalNumber(z.number().int('form.integer').min(0).max(100)).transform((v) => v ?? 0),
	start_date: optionalDate(),
	due_date: optionalDate(),
	// Whole ariary: bknd refuses fractions too (bknd/dataRules.ts), this says it first.
	budget_mga: optionalNumber(z.number().int('crm.budgetWhole').min(0).max(BUDGET_MGA_MAX)),
	figma_file_key: figmaKeySchema,
	internal_notes: optionalText(4000),
	margin_pct: optionalNumber(z.number().min(-100).max(100))
};

/** A project cannot be due before it starts (dates as `YYYY-MM-DD` compare as text). */
function dueAfterStart(project: { start_date: string | null; due_date: string | null }, ctx: z.RefinementCtx): void {
	if (project.start_date && project.due_date && project.due_date < project.start_date) {
		ctx.addIssue({ code: 'custom', path: ['due_date'], message: 'crm.dueBeforeStart' });
	}
}

/** The project edit form; its output is a bknd `projects` update body. The client (tenant) never changes here. */
export const projectUpdateSchema = z.object(projectFields).superRefine(dueAfterStart);
export type ProjectUpdate = z.output<typeof projectUpdateSchema>;

/** The new-project form: the same fields and the client it belongs to. */
export const projectCreateSchema = z.object({ clients_id: rowId('crm.chooseClient'), ...projectFields }).superRefine(dueAfterStart);
export type ProjectCreate = z.output<typeof projectCreateSchema>;
