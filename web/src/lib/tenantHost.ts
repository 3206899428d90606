import { RESERVED_SLUGS, isTenantSlug } from '../../../shared/tenants';

// Runs in the browser too (the `reroute` hook ships to the client), so it reads no environment:
// the domains that carry tenant subdomains are known constants. `<slug>.localhost` is the local form.
export const TENANT_PARENT_DOMAINS = ['localhost', 'fata.plus'] as const;

/**
 * The tenant slug named by a host's subdomain, or `null` for hosts without one.
 * @example tenantFromHost('ferme-verte.localhost:5173') // "ferme-verte"
 * @example tenantFromHost('www.fata.plus') // null (reserved)
 */
export function tenantFromHost(host: string): string | null {
	const hostname = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
	for (const parent of TENANT_PARENT_DOMAINS) {
		if (!hostname.endsWith(`.${parent}`)) continue;
		const label = hostname.slice(0, -(parent.length + 1));
		// One label only: `a.b.fata.plus` is not a tenant host.
		return !label.includes('.') && isTenantSlug(label) ? label : null;
	}
	return null;
}

// A last path segment with an extension is a file (`/favicon.svg`, `/robots.txt`), served as is.
const FILE = /\/[^/]+\.[a-z0-9]+$/i;

/**
 * The route path a tenant host's request is served by: `/x` on `<slug>.<domain>` becomes `/<slug>/x`.
 * `null` means "leave it": no tenant subdomain, `/api/` and `/_app/` paths, files, app-wide pages
 * (`/login`, `/crm`... any reserved slug) and paths already under `/<slug>` (links work either way).
 */
export function tenantRoutePath(host: string, pathname: string): string | null {
	const slug = tenantFromHost(host);
	if (!slug) return null;
	const first = pathname.split('/')[1] ?? '';
	if (first === '_app' || RESERVED_SLUGS.has(first) || first === slug) return null;
	if (FILE.test(pathname)) return null;
	return pathname === '/' ? `/${slug}` : `/${slug}${pathname}`;
}
