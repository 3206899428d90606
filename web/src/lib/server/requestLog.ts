import { isTenantSlug } from '../../../../shared/tenants';
import { tenantFromHost } from '../tenantHost';

// One JSON line per request, for Workers Logs ([observability] in wrangler.toml) and `wrangler dev`'s console.
// It says which page or endpoint answered and how, never who asked: the route is SvelteKit's route id (the
// pattern, `/[tenant=tenant]/dashboard`), never the path or query string, which can carry an email, a one-time
// token (`/welcome/<token>`) or a search; no header is read (cookies, Authorization, the visitor's IP). The tenant
// is a slug that passed the slug rules, from the route or the host, or null.

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The parts of a SvelteKit RequestEvent the line is made from. */
export interface LoggedRequest {
	route: { id: string | null };
	params: Partial<Record<string, string>>;
	url: URL;
	request: Request;
}

export interface RequestLog {
	/** SvelteKit's route id, or null when no route matched (a 404 or a static file). */
	route: string | null;
	method: string;
	status: number;
	/**
	 * Milliseconds until the response's headers. In workerd the clock only moves on I/O (Cloudflare's timing-attack
	 * mitigation), so this is the time spent waiting on bknd, the rooms or Claude; CPU time alone reads as 0.
	 */
	ms: number;
	tenant: string | null;
}

/** What is logged for one request. */
export function requestLog(event: LoggedRequest, status: number, durationMs: number): RequestLog {
	const method = event.request.method.toUpperCase();
	const fromRoute = event.params.tenant;
	return {
		route: event.route.id,
		method: METHODS.has(method) ? method : 'OTHER',
		status,
		ms: Math.max(0, Math.round(durationMs)),
		tenant: fromRoute !== undefined && isTenantSlug(fromRoute) ? fromRoute : tenantFromHost(event.url.host)
	};
}

/** The line itself: `{"route":…,"method":…,"status":…,"ms":…,"tenant":…}`. */
export function requestLogLine(event: LoggedRequest, status: number, durationMs: number): string {
	return JSON.stringify(requestLog(event, status, durationMs));
}
