import { isStaff, type SessionUser } from '../../../shared/roles';
import { isTenantSlug } from '../../../shared/tenants';
import { tenantFromHost } from './tenantHost';

/** Staff's home: every tenant, and later the CRM. */
export const STAFF_HOME = '/crm';
/** Partners' home (their shared projects); clients without a tenant land there too. */
export const SPACE_HOME = '/app';

/**
 * Where a user lands after signing in: staff → `/crm`, a client → its tenant `/<slug>`,
 * a partner → `/app` (the projects shared with its agency).
 */
export function homePath(user: SessionUser, clientSlug: string | null): string {
	if (isStaff(user.role)) return STAFF_HOME;
	if (user.role === 'client' && clientSlug) return `/${clientSlug}`;
	return SPACE_HOME;
}

/**
 * `next` if it is a path on this site, else `null`: refuses absolute and protocol-relative URLs
 * (`https://evil`, `//evil`, `/\\evil`) so the sign-in page cannot be used as an open redirect.
 * The check is made on the path that will be sent, after normalisation: dot segments and `%2e` can turn an
 * innocent-looking `/.//evil.example`, `/a/..//evil.example` or `/%2e//evil.example` into `//evil.example`,
 * which a browser reads as another host.
 */
export function safeNextPath(next: string | null | undefined): string | null {
	if (!next || !next.startsWith('/')) return null;
	if (/[\u0000-\u001f\u007f]/.test(next)) return null;
	try {
		const url = new URL(next, 'http://x.invalid');
		if (url.origin !== 'http://x.invalid') return null;
		const path = url.pathname + url.search + url.hash;
		return isLocalPath(path) ? path : null;
	} catch {
		return null;
	}
}

/** A path a browser resolves on the current host: one leading slash, never `//` or `/\\` (another host). */
function isLocalPath(path: string): boolean {
	return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\');
}

/** The path prefix of a tenant's pages: empty on its own subdomain (reroute adds it), `/<slug>` elsewhere. */
export function tenantBase(tenant: string, hostTenant: string | null): string {
	return hostTenant === tenant ? '' : `/${tenant}`;
}

/**
 * `path` as seen on the current host: on a tenant's own subdomain its `/<slug>` prefix is dropped
 * (reroute adds it back), so people stay on short URLs there.
 * @example pathOnHost('/ferme-verte/projects/2', 'ferme-verte') // "/projects/2"
 */
export function pathOnHost(path: string, hostTenant: string | null): string {
	if (!hostTenant) return path;
	const prefix = `/${hostTenant}`;
	if (path === prefix) return '/';
	return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

/**
 * Where to send a user after sign-in, seen from the host they signed in on. On a tenant subdomain a
 * home in another tenant (a client of `atelier-sud` signing in on `ferme-verte.fata.plus`) goes to
 * that tenant's own host: left as a path, reroute would look for it inside the wrong tenant.
 * @example landingUrl('/atelier-sud', new URL('http://ferme-verte.localhost:5173/login')) // "http://atelier-sud.localhost:5173/"
 */
export function landingUrl(home: string, url: URL): string {
	const hostTenant = tenantFromHost(url.host);
	if (!hostTenant) return home;
	const first = home.split('/')[1] ?? '';
	if (first === hostTenant) return pathOnHost(home, hostTenant);
	if (!isTenantSlug(first)) return home;
	const rest = home.slice(first.length + 1) || '/';
	return `${url.protocol}//${url.host.replace(/^[^.]+/, first)}${rest}`;
}
