import type { App } from 'bknd';
import { z } from 'zod';
import { intakeAnalysisSchema } from '../../shared/intake/analysis';
import { intakeBriefSchema } from '../../shared/intake/brief';
import { CLIENT_IP_HEADER, INTAKE_ANALYSIS_ROUTE, INTAKE_LEADS_ROUTE } from '../../shared/publicApi';
import type { BkndContext, BkndServer } from '../serverTypes';
import { isServiceCall } from './serviceAuth';
import { readCappedJson } from '../../shared/cappedBody';
import { clientKeyOf, takeSubmission } from './submissionLimit';

/** The web app sends at most 64 KiB of brief (it refuses more from visitors). */
const LEAD_BODY_LIMIT = 64 * 1024;
/** An analysis within shared/intake/analysis.ts's bounds is under ~80 kB even in 3-byte UTF-8. */
const ANALYSIS_BODY_LIMIT = 256 * 1024;

// The public intake's two writes, called only by the web app's server (POST /api/leads), never by browsers:
//
// - `POST /api/fataplus/public/leads {"brief": …}`: counts the submission against the visitor's address (at most
//   5 per 10 minutes, submissionLimit.ts), then creates the lead at once (status `new`, source `intake`,
//   analysis_status `pending`), so the brief is kept whatever happens to the analysis. 201 `{ id }`.
// - `PUT /api/fataplus/public/leads/:id/analysis {"analysis": …}`: stores the analysis, its source and the
//   proposal draft, and marks the lead `done`, only while it is still `pending`: a second call (a retry, a
//   replay) can never overwrite what staff have edited since. 200 `{ id }`; 409 once done.
//
// Both go through bknd's mutator, so dataRules.ts stamps them and the live bridge (bridge/LiveBridge.ts) publishes
// them: the new lead appears on the staff pipeline at once. Callers prove themselves with the service secret
// (serviceAuth.ts); bknd's data API stays closed to anonymous callers. Registered before hardening.ts (config.ts).
// Refusals change nothing: 401 without the secret, 400 for a body or id that does not parse, 404 for an unknown
// lead, 429 over the limit, 503 when this bknd has no service secret at all.

const createBodySchema = z.object({ brief: intakeBriefSchema });
const analysisBodySchema = z.object({ analysis: intakeAnalysisSchema });
/** An IPv6 address with a zone is under 50 characters; anything longer is not an address. */
const clientIpSchema = z.string().trim().min(1).max(100);

const NO_STORE = { 'cache-control': 'no-store' };

/** Registers the intake routes (call from `options.manager.onServerInit`, before hardening). */
export function installIntakeRoutes(server: BkndServer, options: { serviceSecret?: string }): void {
	const { serviceSecret } = options;

	server.post(INTAKE_LEADS_ROUTE, async (c) => {
		const refused = refuseCaller(c, serviceSecret);
		if (refused) return refused;
		const clientIp = clientIpSchema.safeParse(c.req.header(CLIENT_IP_HEADER));
		if (!clientIp.success) return c.json({ error: `Send the visitor's address in the ${CLIENT_IP_HEADER} header.` }, 400, NO_STORE);
		const body = createBodySchema.safeParse(await jsonBody(c, LEAD_BODY_LIMIT));
		if (!body.success) return c.json({ error: 'The brief does not match shared/intake/brief.ts.', issues: issuesOf(body.error) }, 400, NO_STORE);

		const app = c.get('app') as App;
		const verdict = await takeSubmission(app, 'intake', clientKeyOf(clientIp.data, serviceSecret!));
		if (!verdict.ok) {
			return c.json(
				{ error: 'Too many submissions from this address.', retryAfterSeconds: verdict.retryAfterSeconds },
				429,
				{ ...NO_STORE, 'retry-after': String(verdict.retryAfterSeconds) }
			);
		}

		const { brief } = body.data;
		const { data } = await app.em.mutator('leads' as never).insertOne({
			title: brief.title,
			company: brief.company || null,
			contact_name: brief.contactName,
			email: brief.email,
			phone: brief.phone || null,
			status: 'new',
			source: 'intake',
			industry: brief.industry,
			brief,
			analysis_status: 'pending'
		} as never);
		return c.json({ id: (data as { id: number }).id }, 201, NO_STORE);
	});

	server.put(INTAKE_ANALYSIS_ROUTE, async (c) => {
		const refused = refuseCaller(c, serviceSecret);
		if (refused) return refused;
		const id = Number(c.req.param('id'));
		if (!Number.isSafeInteger(id) || id <= 0) return c.json({ error: 'A lead id is a positive whole number.' }, 400, NO_STORE);
		const body = analysisBodySchema.safeParse(await jsonBody(c, ANALYSIS_BODY_LIMIT));
		if (!body.success) return c.json({ error: 'The analysis does not match shared/intake/analysis.ts.', issues: issuesOf(body.error) }, 400, NO_STORE);

		const app = c.get('app') as App;
		return await oneWriterPerLead(id, async () => {
			const lead = (await app.em.connection.kysely.selectFrom('leads').select(['id', 'analysis_status']).where('id', '=', id).executeTakeFirst()) as
				| { id: number; analysis_status: string | null }
				| undefined;
			if (!lead) return c.json({ error: `No lead ${id}.` }, 404, NO_STORE);
			if (lead.analysis_status !== 'pending') {
				return c.json({ error: `Lead ${id} already has its analysis: it is not overwritten.` }, 409, NO_STORE);
			}
			const { proposal_draft, ...analysis } = body.data.analysis;
			await app.em.mutator('leads' as never).updateOne(id, {
				analysis,
				analysis_source: analysis.source,
				analysis_status: 'done',
				proposal_draft
			} as never);
			return c.json({ id }, 200, NO_STORE);
		});
	});
}

/** 503 when public routes are off, 401 without the right secret; undefined when the web app's server is calling. */
function refuseCaller(c: BkndContext, serviceSecret: string | undefined): Response | undefined {
	if (!serviceSecret) return c.json({ error: 'Public forms are off: this bknd has no BKND_SERVICE_SECRET.' }, 503, NO_STORE);
	if (!isServiceCall(c, serviceSecret)) return c.json({ error: 'Only the Fataplus web app may call this route.' }, 401, NO_STORE);
	return undefined;
}

/** The JSON body, or undefined when it is not JSON or over `limit` bytes (the schema check then answers 400). */
async function jsonBody(c: BkndContext, limit: number): Promise<unknown> {
	const body = await readCappedJson(c.req.raw, limit);
	return body.ok ? body.value : undefined;
}

/** Where the body is wrong, for the web app's logs (it validated with the same schema, so this is a bug there). */
function issuesOf(error: z.ZodError): string[] {
	return error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
}

// The read of analysis_status and the write are two statements (bknd's connection has no transactions, docs/bknd.md):
// two calls for one lead are queued here so the second reads `done`. One bknd process per database file
// (bknd/README.md) makes this enough; staff edits do not touch analysis_status.
const writers = new Map<number, Promise<unknown>>();

async function oneWriterPerLead<T>(id: number, write: () => Promise<T>): Promise<T> {
	const before = writers.get(id) ?? Promise.resolve();
	const mine = before.then(write, write);
	const settled = mine.catch(() => undefined);
	writers.set(id, settled);
	try {
		return await mine;
	} finally {
		if (writers.get(id) === settled) writers.delete(id);
	}
}
