import type { RequestEvent } from '@sveltejs/kit';
import { getEnv, type ServerEnv } from '../env';

/**
 * The address every caller has outside production. Measured under `wrangler dev` (4.86): it sets
 * `cf-connecting-ip: 127.0.0.1` on a request without one, and passes a client's own `cf-connecting-ip` through
 * unchanged; adapter-cloudflare's `getClientAddress()` returns that same header. So locally neither tells the
 * truth, and the local stack (wrangler dev, vite dev) listens on loopback only: every caller is this machine.
 */
export const LOCAL_ADDRESS = '127.0.0.1';

/**
 * The visitor's IP address, for bknd's per-address limits (public forms: bknd/routes/submissionLimit.ts; sign-in:
 * bknd/auth/loginThrottle.ts). Only the deployed worker (`ENVIRONMENT=production`) is reached through Cloudflare,
 * which sets `cf-connecting-ip` on every request and overwrites any value a client sent: only there is it believed.
 */
export function clientAddress(event: Pick<RequestEvent, 'request' | 'platform'>): string {
	return addressFrom(event.request.headers, getEnv(event.platform).ENVIRONMENT);
}

/** `clientAddress` without SvelteKit: the address from the request's headers in this environment. */
export function addressFrom(headers: Headers, environment: ServerEnv['ENVIRONMENT']): string {
	if (environment !== 'production') return LOCAL_ADDRESS;
	return headers.get('cf-connecting-ip')?.trim() || 'unknown';
}
