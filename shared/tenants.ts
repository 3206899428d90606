/** A tenant slug is also its subdomain (`<slug>.fata.plus`), so it follows DNS label rules, lower case. */
export const TENANT_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** The live room that staff watch across all tenants; never a client's slug (the seed and CRM refuse it). */
export const STAFF_LIVE_ROOM = 'fataplus';

/** Slugs that name parts of the app or infrastructure and so can never be a tenant. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
	STAFF_LIVE_ROOM, 'www', 'api', 'app', 'admin', 'crm', 'login', 'logout', 'intake', 'bootcamp', 'static', 'assets',
	'parties', 'party', 'localhost',
	// A page of the app (`/welcome/<token>`, one-time password links).
	'welcome',
	// Hostnames of the other workers and services on the zone (bknd.fata.plus/api, bknd.fata.plus/ws, the rooms,
	// mail, the staging site and staging's bknd + rooms host): a tenant of that name would get a subdomain someone
	// else answers.
	'bknd', 'ws', 'rooms', 'mail', 'staging', 'bknd-staging'
]);

export function isTenantSlug(value: string): boolean {
	return TENANT_SLUG_PATTERN.test(value) && !RESERVED_SLUGS.has(value);
}
