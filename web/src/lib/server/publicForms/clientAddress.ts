import type { RequestEvent } from '@sveltejs/kit';

/**
 * The visitor's IP address, for the per-IP submission limit (bknd/routes/submissionLimit.ts). Cloudflare sets
 * `cf-connecting-ip` on every request it forwards and overwrites any value a client sends, so it can be trusted
 * there; locally (wrangler dev, vite) SvelteKit's own address is used.
 */
export function clientAddress(event: Pick<RequestEvent, 'request' | 'getClientAddress'>): string {
	const fromCloudflare = event.request.headers.get('cf-connecting-ip')?.trim();
	if (fromCloudflare) return fromCloudflare;
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}
