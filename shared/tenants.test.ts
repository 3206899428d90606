import { describe, expect, it } from 'vitest';
import { RESERVED_SLUGS, isTenantSlug } from './tenants';

// A tenant slug is also a subdomain (`<slug>.fata.plus`) and a first path segment (`/<slug>`): a tenant named
// after an infrastructure host or an app page would be shadowed by it, or shadow it.

describe('tenant slugs', () => {
	it.each(['bknd', 'ws', 'rooms', 'www', 'api', 'admin', 'app', 'static', 'mail', 'staging', 'bknd-staging'])(
		'RESERVED-SLUG-1: "%s" (a hostname of the zone) can never be a tenant',
		(slug) => {
			expect(RESERVED_SLUGS.has(slug)).toBe(true);
			expect(isTenantSlug(slug)).toBe(false);
		}
	);

	it.each(['welcome', 'crm', 'login', 'logout', 'intake', 'bootcamp', 'fataplus', 'assets'])(
		'RESERVED-SLUG-2: "%s" (a page or room of the app) can never be a tenant',
		(slug) => expect(isTenantSlug(slug)).toBe(false)
	);

	it('RESERVED-SLUG-3: ordinary slugs, including ones that merely contain a reserved word, stay valid', () => {
		for (const slug of ['ferme-verte', 'atelier-sud', 'mail-express', 'api2', 'rooms-deco']) expect(isTenantSlug(slug)).toBe(true);
	});
});
