import { applicationCreatedSchema, applicationLimitedSchema, applicationRefusedSchema, type CohortRefusal } from '$shared/bootcamp/applicationWire';
import type { BootcampApplication } from '$shared/bootcamp/application';
import { publicCohortsAnswerSchema, type PublicCohort } from '$shared/bootcamp/publicCohort';
import { CLIENT_IP_HEADER, PUBLIC_APPLICATIONS_ROUTE, PUBLIC_COHORTS_ROUTE, SERVICE_HEADER } from '$shared/publicApi';
import type { ServerEnv } from '$lib/server/env';
import { bkndFetch } from '$lib/server/backends';

// The web server's calls to bknd's public bootcamp routes (bknd/routes/bootcamp.ts). Visitors have no bknd
// token, so these calls carry BKND_SERVICE_SECRET instead; it never leaves this server. bknd's answers are
// parsed with the shared wire schemas: anything else reads as "bknd unavailable", never as a success.

/** As lib/server/bknd.ts: past this, the visitor gets the "unavailable" message rather than a hung page. */
const TIMEOUT_MS = 8_000;

function serviceFetch(env: ServerEnv, path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
	return bkndFetch(env)(`${env.BKND_URL}${path}`, {
		...init,
		headers: { ...init.headers, [SERVICE_HEADER]: env.BKND_SERVICE_SECRET, accept: 'application/json' },
		signal: AbortSignal.timeout(TIMEOUT_MS)
	});
}

/** The cohorts a visitor may see (not finished), soonest first; `null` when bknd cannot answer them. */
export async function fetchPublicCohorts(env: ServerEnv): Promise<PublicCohort[] | null> {
	try {
		const res = await serviceFetch(env, PUBLIC_COHORTS_ROUTE);
		if (!res.ok) {
			console.error(`[bootcamp] bknd cohorts answered ${res.status}`);
			return null;
		}
		const parsed = publicCohortsAnswerSchema.safeParse(await res.json());
		if (!parsed.success) console.error('[bootcamp] bknd cohorts: unexpected answer', parsed.error.issues[0]);
		return parsed.success ? parsed.data.cohorts : null;
	} catch (caught) {
		console.error('[bootcamp] bknd cohorts unreachable', caught);
		return null;
	}
}

export type BkndApplyResult =
	| { kind: 'created' }
	| { kind: 'refused'; reason: CohortRefusal }
	| { kind: 'limited'; retryAfterSeconds: number }
	| { kind: 'unavailable' };

/** Sends one application (already validated here) for the visitor at `address`. */
export async function postApplication(env: ServerEnv, address: string, application: BootcampApplication): Promise<BkndApplyResult> {
	let res: Response;
	let body: unknown;
	try {
		res = await serviceFetch(env, PUBLIC_APPLICATIONS_ROUTE, {
			method: 'POST',
			headers: { 'content-type': 'application/json', [CLIENT_IP_HEADER]: address },
			body: JSON.stringify(application)
		});
		body = await res.json().catch(() => null);
	} catch (caught) {
		console.error('[bootcamp] bknd applications unreachable', caught);
		return { kind: 'unavailable' };
	}
	if (res.status === 201 && applicationCreatedSchema.safeParse(body).success) return { kind: 'created' };
	const refused = applicationRefusedSchema.safeParse(body);
	if (res.status === 409 && refused.success) return { kind: 'refused', reason: refused.data.error };
	const limited = applicationLimitedSchema.safeParse(body);
	if (res.status === 429 && limited.success) return { kind: 'limited', retryAfterSeconds: limited.data.retryAfterSeconds };
	// 400 (bknd's own check disagreed with ours), 401 (secrets differ), 5xx: nothing was stored; say so plainly.
	console.error(`[bootcamp] bknd refused an application: ${res.status}`, body);
	return { kind: 'unavailable' };
}
