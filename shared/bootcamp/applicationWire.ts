import { z } from 'zod';

// How the web app's server and bknd's public bootcamp routes talk (bknd/routes/bootcamp.ts): the answers of
// `POST …/applications`, whose body is the form (application.ts). The paths and headers are in ../publicApi.ts.

/** Why bknd refused an application for its cohort (409). */
export const COHORT_REFUSALS = ['unknown_cohort', 'cohort_closed', 'cohort_full'] as const;
export type CohortRefusal = (typeof COHORT_REFUSALS)[number];

/** 201: stored with status `received`. `id` is absent when a honeypot submission was answered without storing. */
export const applicationCreatedSchema = z.object({ ok: z.literal(true), id: z.number().int().positive().optional() });
/** 409: the cohort does not take this application. */
export const applicationRefusedSchema = z.object({ ok: z.literal(false), error: z.enum(COHORT_REFUSALS) });
/** 429: this address sent too many; retry after so many seconds. */
export const applicationLimitedSchema = z.object({ ok: z.literal(false), error: z.literal('too_many_submissions'), retryAfterSeconds: z.number().int().min(1) });
