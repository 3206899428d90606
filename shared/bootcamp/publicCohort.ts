import { z } from 'zod';
import { COHORT_STATUSES } from './statuses';

// The wire format of bknd's `GET /api/fataplus/public/bootcamp/cohorts` (bknd/routes/bootcamp.ts), read by the
// web app's server for the public /bootcamp page. Only what a visitor may see: no applications, no names.

/** At most this many cohorts are answered (the page lists a handful). */
export const MAX_PUBLIC_COHORTS = 50;

export const publicCohortSchema = z.object({
	id: z.number().int().positive(),
	title: z.string().min(1).max(200),
	/** `YYYY-MM-DD`, or null when not fixed yet. */
	startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
	weeks: z.number().int().min(1).nullable(),
	seats: z.number().int().min(0),
	priceMga: z.number().min(0).nullable(),
	status: z.enum(COHORT_STATUSES),
	/** Seats minus accepted and enrolled applications (seats.ts). */
	seatsLeft: z.number().int().min(0)
});
export type PublicCohort = z.infer<typeof publicCohortSchema>;

export const publicCohortsAnswerSchema = z.object({ cohorts: z.array(publicCohortSchema).max(MAX_PUBLIC_COHORTS) });
export type PublicCohortsAnswer = z.infer<typeof publicCohortsAnswerSchema>;
