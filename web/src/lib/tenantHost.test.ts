import { describe, expect, it } from 'vitest';
import { tenantFromHost, tenantRoutePath } from './tenantHost';

describe('tenantFromHost', () => {
	it('REROUTE-1: reads the tenant from <slug>.localhost[:port] and <slug>.fata.plus', () => {
		expect(tenantFromHost('ferme-verte.localhost:5173')).toBe('ferme-verte');
		expect(tenantFromHost('ferme-verte.localhost')).toBe('ferme-verte');
		expect(tenantFromHost('atelier-sud.fata.plus')).toBe('atelier-sud');
		expect(tenantFromHost('Atelier-Sud.Fata.Plus.')).toBe('atelier-sud');
	});

	it('REROUTE-2: hosts without a tenant subdomain have no tenant', () => {
		for (const host of ['localhost', 'localhost:5173', '127.0.0.1:15173', 'fata.plus', 'www.fata.plus', 'api.fata.plus',
			'fataplus.fata.plus', 'a.b.fata.plus', 'ferme-verte.example.com', 'evil-fata.plus', '-bad.localhost']) {
			expect(tenantFromHost(host), host).toBeNull();
		}
	});
});

describe('tenantRoutePath', () => {
	const host = 'ferme-verte.localhost:15173';

	it('REROUTE-3: maps paths of a tenant host under /<slug>', () => {
		expect(tenantRoutePath(host, '/')).toBe('/ferme-verte');
		expect(tenantRoutePath(host, '/projects/12')).toBe('/ferme-verte/projects/12');
		expect(tenantRoutePath('ferme-verte.fata.plus', '/projects/12')).toBe('/ferme-verte/projects/12');
	});

	it('REROUTE-4: leaves api, assets, files, app-wide pages and already-prefixed paths alone', () => {
		for (const path of ['/api/session', '/api/rooms/token', '/_app/immutable/x.js', '/favicon.svg', '/robots.txt',
			'/login', '/logout', '/crm', '/app', '/ferme-verte', '/ferme-verte/projects/3']) {
			expect(tenantRoutePath(host, path), path).toBeNull();
		}
	});

	it('REROUTE-5: another tenant path on a tenant host stays inside the host tenant', () => {
		expect(tenantRoutePath(host, '/atelier-sud/projects/1')).toBe('/ferme-verte/atelier-sud/projects/1');
	});

	it('REROUTE-6: does nothing without a tenant subdomain', () => {
		expect(tenantRoutePath('localhost:5173', '/projects/12')).toBeNull();
		expect(tenantRoutePath('fata.plus', '/')).toBeNull();
		expect(tenantRoutePath('www.fata.plus', '/x')).toBeNull();
	});
});
