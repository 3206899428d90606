import { z } from 'zod';
import { LEAD_STATUSES, leadStatusSchema } from '../entities';

// What staff change on a lead from the CRM: its place in the pipeline and the proposal draft. The same schemas
// check the browser's form, the web server's action and nothing else: bknd's guard lets staff write leads.

export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Moving a card: the lead and its new column. `id` comes from a form, so as a string too. */
export const leadMoveSchema = z.strictObject({
	id: z.coerce.number().int().positive(),
	status: leadStatusSchema
});
export type LeadMove = z.infer<typeof leadMoveSchema>;

/** A proposal draft is a few pages of French; beyond this it is not a draft any more (and the live feed would cut it). */
export const PROPOSAL_DRAFT_MAX = 20_000;

/** The proposal draft as staff save it: any text up to the limit (empty clears it); line endings normalised. */
export const proposalDraftSchema = z.strictObject({
	draft: z
		.string()
		.transform((text) => text.replace(/\r\n?/g, '\n'))
		.pipe(z.string().max(PROPOSAL_DRAFT_MAX, 'leads.draftTooLong'))
});

/** A lead as the CRM pages read it from bknd (JSON columns left as `unknown`: read them with leadAnalysis.ts / leadBrief.ts). */
export const leadDetailSchema = z
	.object({
		id: z.number(),
		title: z.string(),
		company: z.string().nullish(),
		contact_name: z.string().nullish(),
		email: z.string().nullish(),
		phone: z.string().nullish(),
		status: leadStatusSchema.nullish(),
		source: z.string().nullish(),
		industry: z.string().nullish(),
		brief: z.unknown().optional(),
		analysis: z.unknown().optional(),
		analysis_source: z.string().nullish(),
		analysis_status: z.string().nullish(),
		proposal_draft: z.string().nullish(),
		clients_id: z.number().nullish(),
		created_at: z.string().nullish(),
		updated_at: z.string().nullish()
	})
	.loose();
export type LeadDetail = z.infer<typeof leadDetailSchema>;
