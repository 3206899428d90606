import type { ServerEnv } from './env';

/**
 * The one way this server reaches bknd and the rooms worker. On Cloudflare the web worker has service bindings
 * (`BKND`, `ROOMS` in wrangler.toml's [env.production] and [env.staging]): their `fetch` goes Worker to Worker
 * inside Cloudflare, with no public DNS or TLS hop and no route to lose. Local runs have no binding, so the
 * same call goes over HTTP to `BKND_URL` / `ROOMS_INTERNAL_URL`. Callers always build the URL from those
 * variables: through a binding the host is only what the other worker reads in `request.url`, its path is
 * what routes the call. Browsers never come here: they open the public `ROOMS_URL`.
 */

/** What this server needs of a Cloudflare service binding (a `Fetcher`). */
export interface ServiceBinding {
	fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}

export function isServiceBinding(value: unknown): value is ServiceBinding {
	return typeof value === 'object' && value !== null && typeof (value as { fetch?: unknown }).fetch === 'function';
}

/** `fetch` through `binding` when there is one, else the global `fetch` (looked up per call, so tests can stub it). */
function through(binding: ServiceBinding | null | undefined): typeof fetch {
	if (binding) return (input, init) => binding.fetch(input, init);
	return (input, init) => fetch(input, init);
}

/** `fetch` for bknd: the `BKND` service binding on Cloudflare, else `BKND_URL` over HTTP. */
export function bkndFetch(env: Pick<ServerEnv, 'BKND'>): typeof fetch {
	return through(env.BKND);
}

/** `fetch` for the rooms worker's server-side API: the `ROOMS` service binding on Cloudflare, else `ROOMS_INTERNAL_URL`. */
export function roomsFetch(env: Pick<ServerEnv, 'ROOMS'>): typeof fetch {
	return through(env.ROOMS);
}
