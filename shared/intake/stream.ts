import { z } from 'zod';
import { ANALYSIS_SECTIONS, ANALYSIS_SOURCES, intakeAnalysisSchema } from './analysis';

// The answer of POST /api/leads once the lead is saved: newline-delimited JSON (`application/x-ndjson`), one
// event per line, in this order: one `saved`, any number of `progress`, then exactly one `result` or `error`.
// The page parses every line with `intakeEventSchema` (the server's output is checked at the boundary too).

/** The media type of the stream. */
export const INTAKE_STREAM_TYPE = 'application/x-ndjson';

/**
 * Where the analysis stands: `connecting` (asking Claude), a section of the analysis being written
 * (ANALYSIS_SECTIONS), `retrying` (Claude busy: another try after `waitSeconds`), `offline` (the offline
 * analyser is answering), `storing` (the analysis is being saved on the lead).
 */
export const INTAKE_STAGES = ['connecting', ...ANALYSIS_SECTIONS, 'retrying', 'offline', 'storing'] as const;
export type IntakeStage = (typeof INTAKE_STAGES)[number];

const source = z.enum(ANALYSIS_SOURCES);

export const intakeEventSchema = z.discriminatedUnion('type', [
	/** The lead is in bknd: whatever happens next, the agency has the brief. */
	z.object({ type: z.literal('saved'), leadId: z.number().int().min(0) }),
	z.object({
		type: z.literal('progress'),
		stage: z.enum(INTAKE_STAGES),
		percent: z.number().min(0).max(100),
		attempt: z.number().int().min(1).optional(),
		waitSeconds: z.number().min(0).optional()
	}),
	/** The analysis, stored on the lead. */
	z.object({ type: z.literal('result'), analysis: intakeAnalysisSchema, source }),
	/** Something failed after the lead was saved (e.g. storing the analysis): the visitor still gets one. */
	z.object({ type: z.literal('error'), message: z.string().max(500), analysis: intakeAnalysisSchema, source })
]);
export type IntakeEvent = z.infer<typeof intakeEventSchema>;
