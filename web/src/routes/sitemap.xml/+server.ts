import { error, type RequestHandler } from '@sveltejs/kit';
import { tenantFromHost } from '$lib/tenantHost';
import { sitemap } from '$lib/server/seo/sitemap';

/** The public pages in both languages (seo/sitemap.ts); a tenant subdomain has none. */
export const GET: RequestHandler = ({ url }) => {
	if (tenantFromHost(url.host)) error(404);
	return new Response(sitemap(url.origin), { headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=3600' } });
};
