import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { convertLeadSchema } from '$shared/crm/convert';
import { leadMoveSchema, proposalDraftSchema } from '$shared/crm/lead';
import { isStaff } from '$shared/roles';
import { fieldErrors } from '$lib/forms/fieldErrors';
import { translate } from '$lib/i18n';
import { BkndUnavailableError } from '../bknd';
import { getEnv } from '../env';
import { convertLead } from './convert';
import { moveLead, saveProposalDraft } from './leads';
import { linkUrl } from './passwordLinks';
import { formFailure, staffAction } from './staffForms';

// The form actions of the lead pages (/crm/leads and /crm/leads/[id]): staff only, each form checked with the same
// zod schema as in the browser, bknd down answered 503 with what was typed (lib/server/crm/staffForms.ts).

type Event = Pick<RequestEvent, 'locals' | 'url' | 'platform' | 'request'>;

/** Moves a lead to another column; answers the saved `{ id, status, updated_at }` for the live board. */
export function moveLeadAction(event: Event) {
	return staffAction(event, 'move', leadMoveSchema, async ({ env, token, data, values }) => {
		const saved = await moveLead(env, token, data.id, data.status);
		if (!saved.ok) return formFailure(saved.status === 404 ? 404 : 400, { form: 'move', values, message: 'leads.moveRefused' });
		return { moved: { id: saved.row.id, status: saved.row.status ?? data.status, updated_at: saved.row.updated_at ?? null } };
	});
}

/**
 * What a refused draft sends back at most. staffAction echoes 8,000 characters of a field; a draft refused for
 * being over 20,000 must come back whole, or the person would lose the text they are asked to shorten.
 */
const DRAFT_ECHO_MAX = 200_000;

/**
 * Saves lead `leadId`'s proposal draft. Like staffAction (staff only, same zod schema as the browser, bknd down
 * answered 503), but a refused or failed save sends the WHOLE text back, so it is never lost, even without JavaScript.
 */
export async function saveDraftAction(event: Event, leadId: number) {
	const { locals, url } = event;
	let draft = '';
	try {
		draft = String((await event.request.formData()).get('draft') ?? '').slice(0, DRAFT_ECHO_MAX);
	} catch {
		// Not a form: validated below as an empty draft would be, and refused by nobody; nothing to keep.
	}
	const values = { draft };
	if (locals.bkndUnavailable) return formFailure(503, { form: 'draft', values, bkndUnavailable: true });
	if (!locals.user || !locals.bkndToken) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (!isStaff(locals.user.role)) error(403, translate(locals.lang, 'error.body403'));
	const parsed = proposalDraftSchema.safeParse(values);
	if (!parsed.success) return formFailure(400, { form: 'draft', values, errors: fieldErrors(parsed.error) });
	try {
		const saved = await saveProposalDraft(getEnv(event.platform), locals.bkndToken, leadId, parsed.data.draft);
		if (!saved.ok) return formFailure(saved.status === 404 ? 404 : 400, { form: 'draft', values, message: 'leads.convert.not_found' });
		return { draftSaved: { draft: saved.row.proposal_draft ?? '', updated_at: saved.row.updated_at ?? null } };
	} catch (caught) {
		if (!(caught instanceof BkndUnavailableError)) throw caught;
		console.error(`[crm] ${caught.message}`);
		return formFailure(503, { form: 'draft', values, bkndUnavailable: true });
	}
}

/**
 * Converts lead `leadId` (bknd/routes/convert.ts: client, first project and invited user, all or nothing). On
 * success the answer holds the invited user's one-time link, shown once by the page and never stored. A taken
 * slug or address comes back as that field's error, everything else as a form-level message; nothing was made.
 */
export function convertAction(event: Event, leadId: number) {
	return staffAction(event, 'convert', convertLeadSchema, async ({ env, token, data, values }) => {
		const result = await convertLead(env, token, leadId, data);
		if (result.ok) {
			const { client, project, user, link } = result.made;
			return { converted: { client, project, email: user.email, link: { url: linkUrl(event.url.origin, link.token), expiresAt: link.expiresAt } } };
		}
		switch (result.code) {
			case 'slug_taken':
				return formFailure(409, { form: 'convert', values, errors: { slug: { key: 'crm.slugTaken' }, _form: { key: 'leads.convert.undone' } } });
			case 'email_taken':
				return formFailure(409, { form: 'convert', values, errors: { contactEmail: { key: 'leads.emailTaken' }, _form: { key: 'leads.convert.undone' } } });
			case 'invalid':
				return formFailure(400, { form: 'convert', values, message: 'form.fixErrors' });
			case 'not_found':
			case 'not_won':
			case 'already_converted':
			case 'in_progress':
			case 'failed':
				return formFailure(result.code === 'not_found' ? 404 : result.code === 'failed' ? 500 : 409, { form: 'convert', values, message: `leads.convert.${result.code}` });
			default: {
				const never: never = result.code;
				return never;
			}
		}
	});
}
