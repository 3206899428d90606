import type { IntakeAnalysis } from '$shared/intake/analysis';
import type { IntakeBrief } from '$shared/intake/brief';
import { CLIENT_IP_HEADER, INTAKE_LEADS_ROUTE, intakeAnalysisPath, SERVICE_HEADER } from '$shared/publicApi';
import { BkndUnavailableError } from '$lib/server/bknd';
import type { ServerEnv } from '$lib/server/env';
import { bkndFetch } from '../backends';

// The web server's client for bknd's two intake routes (bknd/routes/intake.ts). Unlike $lib/server/bknd.ts, which
// always speaks with the signed-in user's token, these calls are the web app's own: the visitor is anonymous,
// so the server proves itself with BKND_SERVICE_SECRET. Any answer that is not the expected one (no answer,
// a timeout, 5xx, a refused secret, a body bknd finds invalid) throws BkndUnavailableError: the visitor is
// told nothing was saved and keeps what they typed.

/** How long one call may take: the visitor is waiting. */
const TIMEOUT_MS = 8_000;

export type CreateLeadResult = { ok: true; id: number } | { ok: false; retryAfterSeconds: number };

/** Creates the lead (pending analysis) for a visitor; `{ ok: false }` when their address is over the submission limit. */
export async function createIntakeLead(env: ServerEnv, brief: IntakeBrief, clientIp: string): Promise<CreateLeadResult> {
	const res = await call(env, 'POST', INTAKE_LEADS_ROUTE, { brief }, { [CLIENT_IP_HEADER]: clientIp });
	if (res.status === 429) {
		const seconds = Number((res.body as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds);
		return { ok: false, retryAfterSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 600 };
	}
	const id = (res.body as { id?: unknown } | null)?.id;
	if (res.status !== 201 || typeof id !== 'number') throw unexpected('create lead', res);
	return { ok: true, id };
}

/** Stores the analysis on a pending lead. Throws when bknd does not store it (including 409: already done). */
export async function storeLeadAnalysis(env: ServerEnv, leadId: number, analysis: IntakeAnalysis): Promise<void> {
	const res = await call(env, 'PUT', intakeAnalysisPath(leadId), { analysis });
	if (res.status !== 200) throw unexpected(`store analysis of lead ${leadId}`, res);
}

async function call(env: ServerEnv, method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
	let res: Response;
	try {
		res = await bkndFetch(env)(`${env.BKND_URL}${path}`, {
			method,
			headers: { 'content-type': 'application/json', accept: 'application/json', [SERVICE_HEADER]: env.BKND_SERVICE_SECRET, ...headers },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(TIMEOUT_MS)
		});
	} catch (error) {
		throw new BkndUnavailableError(`bknd unreachable (${method} ${path})`, { cause: error });
	}
	const text = await res.text().catch(() => '');
	let parsed: unknown = null;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		// not JSON: reported by the caller through the status
	}
	return { status: res.status, body: parsed };
}

function unexpected(what: string, res: { status: number; body: unknown }): BkndUnavailableError {
	// bknd's error texts name the cause (a wrong secret, a schema mismatch); they never contain the brief.
	const error = (res.body as { error?: unknown } | null)?.error;
	return new BkndUnavailableError(`bknd answered ${res.status} to ${what}${typeof error === 'string' ? `: ${error}` : ''}`);
}
