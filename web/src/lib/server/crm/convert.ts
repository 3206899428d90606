import { CONVERT_REFUSALS, convertAnswerSchema, type ConvertAnswer, type ConvertLead, type ConvertRefusal } from '$shared/crm/convert';
import type { ServerEnv } from '../env';
import { postFataplusRoute, refusalCode } from './usersRoutes';

// Converting a won lead from the lead page: one call to bknd's convert route (bknd/routes/convert.ts), which
// makes the client, its first project and the invited user all together or not at all. The answer carries the
// invited user's one-time link token; the page shows it once and never stores it.

export type ConvertResult = { ok: true; made: ConvertAnswer } | { ok: false; code: ConvertRefusal; slug: string | null };

/** Converts lead `leadId` as the signed-in staff member. Throws `BkndUnavailableError` when bknd does not answer. */
export async function convertLead(env: ServerEnv, token: string, leadId: number, form: ConvertLead): Promise<ConvertResult> {
	const answer = await postFataplusRoute(env, `/api/fataplus/leads/${leadId}/convert`, { token }, form);
	if (answer.status === 201) {
		const made = convertAnswerSchema.safeParse(answer.body);
		if (made.success) return { ok: true, made: made.data };
		console.error('[convert] bknd answered an unexpected body', made.error.issues[0]);
		return { ok: false, code: 'failed', slug: null };
	}
	const slug = (answer.body as { slug?: unknown } | null)?.slug;
	return { ok: false, code: refusalCode(answer, CONVERT_REFUSALS) ?? 'failed', slug: typeof slug === 'string' ? slug : null };
}
