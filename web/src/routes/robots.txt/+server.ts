import type { RequestHandler } from '@sveltejs/kit';
import { tenantFromHost } from '$lib/tenantHost';
import { TENANT_ROBOTS, siteRobots } from '$lib/server/seo/robots';

/** robots.txt per host: the site's rules on the main host, nothing indexed on a tenant subdomain (seo/robots.ts). */
export const GET: RequestHandler = ({ url }) =>
	new Response(tenantFromHost(url.host) ? TENANT_ROBOTS : siteRobots(url.origin), {
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=3600' }
	});
