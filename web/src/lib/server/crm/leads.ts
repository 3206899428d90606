import { leadDetailSchema, type LeadDetail, type LeadStatus } from '$shared/crm/lead';
import { budgetEstimateOf } from '$shared/crm/leadAnalysis';
import type { Row } from '$lib/live/dashboardState';
import { readClient } from '../bknd';
import type { ServerEnv } from '../env';
import { readAll, readById, updateRow, type WriteResult } from './crmData';

// The pipeline's reads and writes of bknd `leads`, with the signed-in staff member's token (bknd's guard lets
// staff read and write leads, nobody else). A card is a flat row with the same fields a live lead event carries
// (bknd/bridge/toEvent.ts), so the board treats both alike: see cardRow.

/** The columns a card needs (never the brief or the draft: a board of a thousand leads stays small). */
const CARD_COLUMNS = ['id', 'title', 'company', 'industry', 'status', 'clients_id', 'analysis', 'analysis_status', 'analysis_source', 'created_at', 'updated_at'];

/** A lead as a pipeline card: flat values only, as the live feed's rows are. */
export function cardRow(lead: LeadDetail): Row {
	const hasAnalysis = lead.analysis !== null && lead.analysis !== undefined && lead.analysis !== '';
	return {
		id: lead.id,
		title: lead.title,
		company: lead.company ?? null,
		industry: lead.industry ?? null,
		status: lead.status ?? 'new',
		clients_id: lead.clients_id ?? null,
		created_at: lead.created_at ?? null,
		updated_at: lead.updated_at ?? null,
		estimate_mga: budgetEstimateOf(lead.analysis),
		analysis_status: lead.analysis_status ?? null,
		analysis_source: lead.analysis_source ?? null,
		has_analysis: hasAnalysis
	};
}

/** Every lead as a card, newest first. */
export async function listLeadCards(env: ServerEnv, token: string): Promise<Row[]> {
	const leads = await readAll(env, token, 'leads', leadDetailSchema, { sort: '-id', select: CARD_COLUMNS });
	return leads.map(cardRow);
}

/** One lead with everything (brief, analysis, draft), or null. */
export function readLead(env: ServerEnv, token: string, id: number): Promise<LeadDetail | null> {
	return readById(env, token, 'leads', id, leadDetailSchema);
}

/** Moves a lead to another column of the pipeline; answers the lead as stored (with its new revision). */
export function moveLead(env: ServerEnv, token: string, id: number, status: LeadStatus): Promise<WriteResult<LeadDetail>> {
	return updateRow(env, token, 'leads', id, leadDetailSchema, { status });
}

/** Saves the proposal draft (an empty one clears it). */
export function saveProposalDraft(env: ServerEnv, token: string, id: number, draft: string): Promise<WriteResult<LeadDetail>> {
	return updateRow(env, token, 'leads', id, leadDetailSchema, { proposal_draft: draft === '' ? null : draft });
}

/** What the lead page shows: the lead, and the client it became (if it did). */
export interface LeadPage {
	lead: LeadDetail;
	client: { id: number; name: string; slug: string } | null;
}

/** The lead page's data, or null when there is no such lead. */
export async function readLeadPage(env: ServerEnv, token: string, id: number): Promise<LeadPage | null> {
	const lead = await readLead(env, token, id);
	if (!lead) return null;
	const client = typeof lead.clients_id === 'number' ? await readClient(env, token, lead.clients_id) : null;
	return { lead, client: client ? { id: client.id, name: client.name, slug: client.slug } : null };
}
