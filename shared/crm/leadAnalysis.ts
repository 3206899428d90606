// A lead's `analysis` JSON, read defensively for display. The intake (shared/intake/analysis.ts) writes it, older
// leads (and the seed) hold a smaller shape (`summary`, `fit`, `budget_estimate_mga`), and a JSON column may hold
// anything: every field is optional here, read under the names the writers use, bounded, and never trusted
// beyond "a string" or "a finite number". No zod: this also runs in the browser on every live update.

/** One phase of the proposed plan. */
export interface AnalysisPhase {
	name: string;
	/** Duration in weeks when the analysis gives a number. */
	weeks: number | null;
	/** Duration as written when it is not a number of weeks ("2 mois"). */
	duration: string | null;
	description: string | null;
}

/** What the lead detail page shows of an analysis. */
export interface AnalysisView {
	summary: string | null;
	category: string | null;
	complexity: string | null;
	services: string[];
	phases: AnalysisPhase[];
	/** Budget range in ariary; `min === max` when only an estimate is given. */
	budget: { min: number; max: number } | null;
	risks: string[];
	questions: string[];
}

const TEXT_MAX = 2_000;
const LIST_MAX = 30;

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function text(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed ? trimmed.slice(0, TEXT_MAX) : null;
}

function amount(value: unknown): number | null {
	const n = typeof value === 'string' && /^\s*\d[\d\s]*\s*$/.test(value) ? Number(value.replace(/\s/g, '')) : value;
	return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
}

/** The first of `keys` that `record` holds (not null), so `recommended_services` and `services` both work. */
function pick(record: Json, keys: readonly string[]): unknown {
	for (const key of keys) if (Object.hasOwn(record, key) && record[key] !== null && record[key] !== undefined) return record[key];
	return undefined;
}

/** A list of strings from an array of strings or of objects with a name (`[{ name: "UX" }]`). */
function textList(value: unknown): string[] {
	if (typeof value === 'string') return text(value) ? [text(value)!] : [];
	if (!Array.isArray(value)) return [];
	const out: string[] = [];
	for (const item of value.slice(0, LIST_MAX)) {
		const line = isRecord(item) ? text(pick(item, ['name', 'title', 'label', 'question', 'risk', 'description'])) : text(item);
		if (line) out.push(line);
	}
	return out;
}

function phases(value: unknown): AnalysisPhase[] {
	if (!Array.isArray(value)) return [];
	const out: AnalysisPhase[] = [];
	for (const item of value.slice(0, LIST_MAX)) {
		if (!isRecord(item)) {
			const name = text(item);
			if (name) out.push({ name, weeks: null, duration: null, description: null });
			continue;
		}
		const name = text(pick(item, ['name', 'title', 'label', 'phase']));
		if (!name) continue;
		const weeksValue = pick(item, ['duration_weeks', 'weeks', 'durationWeeks']);
		const weeks = typeof weeksValue === 'number' && Number.isFinite(weeksValue) && weeksValue > 0 ? weeksValue : null;
		out.push({
			name,
			weeks,
			duration: weeks === null ? text(pick(item, ['duration', 'duration_label'])) : null,
			description: text(pick(item, ['description', 'details']))
		});
	}
	return out;
}

function budget(analysis: Json): AnalysisView['budget'] {
	const range = pick(analysis, ['budget_range_mga', 'budget_mga', 'budgetRangeMga', 'budget']);
	let min: number | null = null;
	let max: number | null = null;
	if (isRecord(range)) {
		min = amount(pick(range, ['min', 'low', 'from', 'min_mga']));
		max = amount(pick(range, ['max', 'high', 'to', 'max_mga']));
	} else if (Array.isArray(range) && range.length === 2) {
		min = amount(range[0]);
		max = amount(range[1]);
	}
	min ??= amount(pick(analysis, ['budget_min_mga', 'budgetMinMga']));
	max ??= amount(pick(analysis, ['budget_max_mga', 'budgetMaxMga']));
	const estimate = amount(pick(analysis, ['budget_estimate_mga', 'budgetEstimateMga']));
	if (min === null && max === null) return estimate === null ? null : { min: estimate, max: estimate };
	const low = min ?? max!;
	const high = max ?? min!;
	return { min: Math.min(low, high), max: Math.max(low, high) };
}

/** The analysis as shown, or `null` when the column holds no object (none yet, or unreadable). */
export function readAnalysis(value: unknown): AnalysisView | null {
	let analysis = value;
	if (typeof value === 'string') {
		try {
			analysis = JSON.parse(value);
		} catch {
			return null;
		}
	}
	if (!isRecord(analysis)) return null;
	return {
		summary: text(pick(analysis, ['summary', 'résumé', 'resume'])),
		category: text(pick(analysis, ['category', 'fit', 'project_category'])),
		complexity: text(pick(analysis, ['complexity', 'complexite', 'complexité'])),
		services: textList(pick(analysis, ['recommended_services', 'recommendedServices', 'services'])),
		phases: phases(pick(analysis, ['phases', 'plan', 'timeline'])),
		budget: budget(analysis),
		risks: textList(pick(analysis, ['risks', 'risques'])),
		questions: textList(pick(analysis, ['questions', 'open_questions', 'openQuestions']))
	};
}

/**
 * The one amount a pipeline card shows: the analysis' `budget_estimate_mga`, else the middle of its range
 * (rounded to the thousand); `null` without either.
 */
export function budgetEstimateOf(value: unknown): number | null {
	const view = readAnalysis(value);
	if (!view?.budget) return null;
	const analysis = (typeof value === 'string' ? JSON.parse(value) : value) as Json;
	const estimate = amount(analysis.budget_estimate_mga);
	if (estimate !== null) return estimate;
	return Math.round((view.budget.min + view.budget.max) / 2 / 1000) * 1000;
}

/** Who wrote the analysis: the badge on cards and on the lead page. `pending` while it is being written. */
export type AnalysisBadge = 'claude' | 'offline' | 'pending' | 'none';

/** The badge of a lead from its `analysis_status` / `analysis_source` (and whether it has an analysis at all). */
export function analysisBadge(lead: { analysis_status?: string | null; analysis_source?: string | null; hasAnalysis: boolean }): AnalysisBadge {
	if (lead.analysis_status === 'pending') return 'pending';
	if (lead.analysis_source === 'claude') return 'claude';
	if (lead.analysis_source === 'offline') return 'offline';
	// An analysis without a source (written before sources were recorded, e.g. the demo data) came from our rules.
	return lead.hasAnalysis ? 'offline' : 'none';
}
