import {
	BRIEF_LIMITS,
	BUDGETS,
	COMPANY_SIZES,
	EXISTING_ASSETS,
	INDUSTRIES,
	PROJECT_TYPES,
	TIMELINES
} from '../../../../shared/intake/brief';
import { LAST_STEP } from './steps';

// The intake form's values as the page holds them (the feature lists as one text per line, the choices as
// '' until chosen), kept in localStorage on every change so a reload, a closed tab or a lost connection loses
// nothing. What comes back from storage is untrusted (another version of the page, an extension, a hand edit):
// it is read field by field, and anything of the wrong type or shape is dropped.

/** Bump when the stored shape changes; older drafts are then ignored (nothing to migrate yet). */
export const DRAFT_VERSION = 1;
export const DRAFT_KEY = 'fataplus.intake.draft';

export interface IntakeDraft {
	contactName: string;
	email: string;
	phone: string;
	company: string;
	companySize: string;
	title: string;
	industry: string;
	projectTypes: string[];
	problem: string;
	vision: string;
	audience: string;
	impact: string;
	/** One feature per line. */
	mustHave: string;
	niceToHave: string;
	existingAssets: string[];
	assetsNotes: string;
	budget: string;
	timeline: string;
	consent: boolean;
}

export interface StoredDraft {
	/** The step shown. */
	step: number;
	/** The furthest step reached (earlier ones can be jumped back to). */
	reached: number;
	values: IntakeDraft;
}

export function emptyDraft(): IntakeDraft {
	return {
		contactName: '',
		email: '',
		phone: '',
		company: '',
		companySize: '',
		title: '',
		industry: '',
		projectTypes: [],
		problem: '',
		vision: '',
		audience: '',
		impact: '',
		mustHave: '',
		niceToHave: '',
		existingAssets: [],
		assetsNotes: '',
		budget: '',
		timeline: '',
		consent: false
	};
}

/** The lines of a feature list, trimmed, without blank ones. */
export function lines(text: string): string[] {
	return text
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '');
}

/** The values as the brief schema reads them: lists split into lines, unchosen options absent. */
export function toBrief(values: IntakeDraft): Record<string, unknown> {
	const choice = (value: string) => (value === '' ? undefined : value);
	return {
		...values,
		companySize: choice(values.companySize),
		industry: choice(values.industry),
		budget: choice(values.budget),
		timeline: choice(values.timeline),
		mustHave: lines(values.mustHave),
		niceToHave: lines(values.niceToHave)
	};
}

/** Keeps the draft; a full or blocked storage only means it is not kept. */
export function saveDraft(storage: Pick<Storage, 'setItem'>, draft: StoredDraft): void {
	try {
		storage.setItem(DRAFT_KEY, JSON.stringify({ version: DRAFT_VERSION, savedAt: new Date().toISOString(), ...draft }));
	} catch {
		// quota exceeded or storage disabled: the form still works, it is just not kept
	}
}

export function clearDraft(storage: Pick<Storage, 'removeItem'>): void {
	try {
		storage.removeItem(DRAFT_KEY);
	} catch {
		// storage disabled: nothing was kept
	}
}

/** The kept draft, cleaned; null when there is none, it is of another version, or it holds nothing. */
export function loadDraft(storage: Pick<Storage, 'getItem'>): StoredDraft | null {
	let raw: unknown;
	try {
		raw = JSON.parse(storage.getItem(DRAFT_KEY) ?? 'null');
	} catch {
		return null;
	}
	if (!isRecord(raw) || raw.version !== DRAFT_VERSION || !isRecord(raw.values)) return null;
	const stored = raw.values;
	const text = (key: keyof IntakeDraft, max: number) => (typeof stored[key] === 'string' ? (stored[key] as string).slice(0, max) : '');
	const choice = (key: keyof IntakeDraft, options: readonly string[]) => (typeof stored[key] === 'string' && options.includes(stored[key] as string) ? (stored[key] as string) : '');
	const choices = (key: keyof IntakeDraft, options: readonly string[]) =>
		Array.isArray(stored[key]) ? [...new Set((stored[key] as unknown[]).filter((v): v is string => typeof v === 'string' && options.includes(v)))] : [];
	const featureText = BRIEF_LIMITS.features * (BRIEF_LIMITS.feature + 1);
	const values: IntakeDraft = {
		contactName: text('contactName', BRIEF_LIMITS.contactName),
		email: text('email', BRIEF_LIMITS.email),
		phone: text('phone', BRIEF_LIMITS.phone),
		company: text('company', BRIEF_LIMITS.company),
		companySize: choice('companySize', COMPANY_SIZES),
		title: text('title', BRIEF_LIMITS.title),
		industry: choice('industry', INDUSTRIES),
		projectTypes: choices('projectTypes', PROJECT_TYPES),
		problem: text('problem', BRIEF_LIMITS.longText),
		vision: text('vision', BRIEF_LIMITS.longText),
		audience: text('audience', BRIEF_LIMITS.mediumText),
		impact: text('impact', BRIEF_LIMITS.mediumText),
		mustHave: text('mustHave', featureText),
		niceToHave: text('niceToHave', featureText),
		existingAssets: choices('existingAssets', EXISTING_ASSETS),
		assetsNotes: text('assetsNotes', BRIEF_LIMITS.mediumText),
		budget: choice('budget', BUDGETS),
		timeline: choice('timeline', TIMELINES),
		consent: stored.consent === true
	};
	if (JSON.stringify(values) === JSON.stringify(emptyDraft())) return null;
	const step = stepNumber(raw.step);
	return { step, reached: Math.max(step, stepNumber(raw.reached)), values };
}

function stepNumber(value: unknown): number {
	return typeof value === 'number' && Number.isInteger(value) ? Math.min(LAST_STEP, Math.max(0, value)) : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
