import { SERVICE_HEADER } from '$shared/publicApi';
import { BkndUnavailableError } from '../bknd';
import type { ServerEnv } from '../env';
import { bkndFetch } from '../backends';

// The web server's door to bknd's own routes under /api/fataplus for accounts, password links and lead
// conversion (bknd/routes/users.ts, convert.ts). Staff calls carry the signed-in staff member's own token, so
// bknd decides what they may do; the welcome page's calls carry the service secret instead (the visitor is not
// signed in: the link's token is their credential). These routes answer refusals as `{ error, code }`.

/** How long one call may take before the page says bknd is unreachable. */
const TIMEOUT_MS = 8_000;

export interface RouteAnswer {
	status: number;
	body: unknown;
}

/** Who calls: a staff member (their bknd token) or the web app itself (the service secret). */
export type RouteCaller = { token: string } | { service: true };

/**
 * One POST to a bknd route; answers its status and JSON. Throws `BkndUnavailableError` when bknd does not answer,
 * times out, answers 503, or answers 5xx without one of its refusal codes (`{ code }`: e.g. a conversion that
 * failed and was undone, which the page explains).
 */
export async function postFataplusRoute(env: ServerEnv, path: string, caller: RouteCaller, body: unknown): Promise<RouteAnswer> {
	let res: Response;
	try {
		res = await bkndFetch(env)(`${env.BKND_URL}${path}`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				accept: 'application/json',
				...('token' in caller ? { authorization: `Bearer ${caller.token}` } : { [SERVICE_HEADER]: env.BKND_SERVICE_SECRET })
			},
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(TIMEOUT_MS)
		});
	} catch (error) {
		throw new BkndUnavailableError(`bknd unreachable (POST ${path})`, { cause: error });
	}
	const text = await res.text().catch(() => '');
	let parsed: unknown = null;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		// Not JSON (a proxy's error page): judged by the status below.
	}
	if (res.status === 503 || (res.status >= 500 && typeof (parsed as { code?: unknown } | null)?.code !== 'string')) {
		throw new BkndUnavailableError(`bknd answered ${res.status} (POST ${path})`);
	}
	return { status: res.status, body: parsed };
}

/** The `code` of a refusal answer, if it is one of `codes`. */
export function refusalCode<C extends string>(answer: RouteAnswer, codes: readonly C[]): C | null {
	const code = (answer.body as { code?: unknown } | null)?.code;
	return typeof code === 'string' && (codes as readonly string[]).includes(code) ? (code as C) : null;
}
