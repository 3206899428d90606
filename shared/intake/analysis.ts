import { z } from 'zod';
import { projectCategorySchema } from '../entities';

// What the intake analysis says about a brief (shared/intake/brief.ts), whoever wrote it: Claude (through a
// forced tool call whose input_schema is made from `analysisContentSchema`) or the offline analyser. Both go
// through the same schema, so the page, the stored lead and the staff dashboard always read one shape.
// Bounds are generous for a real answer and tight enough that a runaway one is refused, not stored.

export const COMPLEXITIES = ['low', 'medium', 'high'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

/** Who wrote an analysis: Claude, or the deterministic rules when Claude is not configured or failed. */
export const ANALYSIS_SOURCES = ['claude', 'offline'] as const;
export type AnalysisSource = (typeof ANALYSIS_SOURCES)[number];

/** The largest amount an analysis may state, in ariary (a hundred billion: far above any design project). */
const MAX_MGA = 100_000_000_000;

const line = (max: number) => z.string().trim().min(3).max(max);

export const phaseSchema = z.object({
	name: z.string().trim().min(2).max(100),
	weeks: z.number().int().min(1).max(52),
	description: z.string().trim().max(400)
});
export type Phase = z.infer<typeof phaseSchema>;

export const budgetRangeSchema = z
	.object({ min: z.number().int().min(0).max(MAX_MGA), max: z.number().int().min(0).max(MAX_MGA) })
	.refine((range) => range.max >= range.min, 'budget_range_mga.max must not be below min');

/** What an analyser produces (Claude's tool input): the structured analysis and the French proposal draft. */
export const analysisContentSchema = z.object({
	/** Two to five sentences, in French: what the client needs and why. */
	summary: z.string().trim().min(20).max(1200),
	/** The agency's project category the lead would become (shared/entities.ts). */
	category: projectCategorySchema,
	complexity: z.enum(COMPLEXITIES),
	recommended_services: z.array(line(160)).min(1).max(10),
	phases: z.array(phaseSchema).min(1).max(8),
	/** What the project should cost, in ariary (MGA). */
	budget_range_mga: budgetRangeSchema,
	risks: z.array(line(400)).max(10),
	/** What the agency should ask the client before quoting. */
	questions: z.array(line(400)).min(1).max(10),
	/** A proposal the agency can edit and send, in French. */
	proposal_draft: z.string().trim().min(50).max(10_000)
});
export type AnalysisContent = z.infer<typeof analysisContentSchema>;

/** The sections of an analysis in the order they are written (the page shows them appearing in this order). */
export const ANALYSIS_SECTIONS = Object.keys(analysisContentSchema.shape) as (keyof AnalysisContent)[];

/** A finished analysis: the content plus what we derive from it and who wrote it. */
export const intakeAnalysisSchema = analysisContentSchema.extend({
	/** The middle of the budget range: the staff dashboard adds these up as the pipeline's value. */
	budget_estimate_mga: z.number().int().min(0).max(MAX_MGA),
	/** The phases' weeks added up. */
	total_weeks: z.number().int().min(1).max(8 * 52),
	/** The category again, under the name the live bridge publishes to the staff pipeline (`analysis_fit`). */
	fit: projectCategorySchema,
	source: z.enum(ANALYSIS_SOURCES)
});
export type IntakeAnalysis = z.infer<typeof intakeAnalysisSchema>;

/**
 * Adds the derived fields to an analyser's content.
 * @example completeAnalysis(content, 'offline').budget_estimate_mga // (min + max) / 2, to the thousand ariary
 */
export function completeAnalysis(content: AnalysisContent, source: AnalysisSource): IntakeAnalysis {
	const { min, max } = content.budget_range_mga;
	const middle = Math.round((min + max) / 2 / 1000) * 1000;
	return {
		...content,
		budget_estimate_mga: Math.min(max, Math.max(min, middle)),
		total_weeks: content.phases.reduce((sum, phase) => sum + phase.weeks, 0),
		fit: content.category,
		source
	};
}
