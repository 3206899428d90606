import type { Reroute } from '@sveltejs/kit';
import { tenantRoutePath } from '$lib/tenantHost';

/** Tenant subdomains: `ferme-verte.fata.plus/projects/12` is served by `/[tenant]/projects/[id]`. */
export const reroute: Reroute = ({ url }) => tenantRoutePath(url.host, url.pathname) ?? undefined;
