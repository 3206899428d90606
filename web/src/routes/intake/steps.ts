import { BRIEF_FIELDS, intakeBriefSchema, type BriefField } from '../../../../shared/intake/brief';
import { fieldErrors, type FieldErrors } from '../../lib/forms/fieldErrors';

// The intake form's five steps and the fields each one asks; every step validates its own fields with the
// shared schema (`.pick`), so the page refuses exactly what the server would.

export const STEPS = [
	{ id: 'contact', fields: ['contactName', 'email', 'phone', 'company', 'companySize'] },
	{ id: 'project', fields: ['title', 'industry', 'projectTypes', 'problem', 'vision'] },
	{ id: 'needs', fields: ['audience', 'impact', 'mustHave', 'niceToHave', 'existingAssets', 'assetsNotes'] },
	{ id: 'budget', fields: ['budget', 'timeline'] },
	{ id: 'review', fields: ['consent'] }
] as const satisfies readonly { id: string; fields: readonly BriefField[] }[];

export type StepId = (typeof STEPS)[number]['id'];
export const LAST_STEP = STEPS.length - 1;

const stepSchemas = STEPS.map((step) => intakeBriefSchema.pick(Object.fromEntries(step.fields.map((field) => [field, true])) as Record<BriefField, true>));

/** The errors of one step's fields in `brief` (the form's values as the schema reads them); `{}` when it passes. */
export function validateStep(index: number, brief: unknown): FieldErrors {
	const parsed = stepSchemas[index]?.safeParse(brief);
	return !parsed || parsed.success ? {} : fieldErrors(parsed.error);
}

/** The field an error path belongs to: `mustHave.3` → `mustHave`. */
export function fieldOf(path: string): string {
	return path.split('.')[0] ?? path;
}

/** The first step holding an error of `errors` (paths as fieldErrors gives them), or -1. */
export function firstStepWithError(errors: Readonly<Record<string, unknown>>): number {
	const fields = new Set(Object.keys(errors).map(fieldOf));
	return STEPS.findIndex((step) => step.fields.some((field) => fields.has(field)));
}

/** The first field of a step, in the form's order, that has an error. */
export function firstFieldWithError(index: number, errors: Readonly<Record<string, unknown>>): BriefField | undefined {
	const fields = new Set(Object.keys(errors).map(fieldOf));
	return STEPS[index]?.fields.find((field) => fields.has(field));
}

// Every field of the brief is asked on exactly one step (checked once, when the module loads).
const asked = STEPS.flatMap((step) => step.fields as readonly string[]);
if (asked.length !== BRIEF_FIELDS.length || BRIEF_FIELDS.some((field) => !asked.includes(field))) {
	throw new Error('intake steps: every brief field must be asked on exactly one step');
}
