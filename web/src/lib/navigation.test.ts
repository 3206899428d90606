import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../shared/roles';
import { prng } from '../../../shared/review/testKit';
import { homePath, landingUrl, pathOnHost, safeNextPath, tenantBase } from './navigation';

const user = (role: SessionUser['role'], extra: Partial<SessionUser> = {}): SessionUser => ({
	id: 1, email: 'a@b.c', name: 'A', role, clientId: null, partnerId: null, ...extra
});

describe('homePath', () => {
	it('HOME-1: staff land on /crm, clients on their tenant, partners on /app', () => {
		expect(homePath(user('admin'), null)).toBe('/crm');
		expect(homePath(user('designer'), 'ferme-verte')).toBe('/crm');
		expect(homePath(user('client', { clientId: 3 }), 'ferme-verte')).toBe('/ferme-verte');
		expect(homePath(user('client', { clientId: 3 }), null)).toBe('/app');
		expect(homePath(user('partner', { partnerId: 2 }), null)).toBe('/app');
	});
});

describe('safeNextPath', () => {
	it('HOME-2: keeps local paths with their query', () => {
		expect(safeNextPath('/ferme-verte/projects/2?x=1')).toBe('/ferme-verte/projects/2?x=1');
		expect(safeNextPath('/')).toBe('/');
	});

	it('HOME-3: refuses anything that could leave the site', () => {
		for (const next of [null, '', 'https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/\tx', 'evil']) {
			expect(safeNextPath(next), String(next)).toBeNull();
		}
	});

	it('HOME-4: refuses a path that only becomes another host once normalised (dot segments, %2e, backslashes)', () => {
		for (const next of ['/.//evil.example', '/..//evil.example', '/%2e//evil.example', '/%2E%2E//evil.example', '/a/..//evil.example', '/./\\evil.example', '/.\\/evil.example', '/a/b/../..//evil.example']) {
			expect(safeNextPath(next), next).toBeNull();
		}
		// Dot segments that stay on the site are fine: they are sent normalised.
		expect(safeNextPath('/crm/./clients/../projects')).toBe('/crm/projects');
	});

	it('HOME-5: whatever the spelling, a kept path resolves on the current host', () => {
		const parts = ['', '.', '..', '%2e', '%2E%2e', '/', '\\', 'evil.example', 'a', '%2f', '?x=//y', '#//z'];
		const random = prng(9);
		for (let i = 0; i < 5_000; i++) {
			let next = '/';
			for (let n = 1 + random.int(6); n > 0; n--) next += random.pick(parts) + (random.chance(0.5) ? '/' : '');
			const kept = safeNextPath(next);
			if (kept === null) continue;
			expect(kept.startsWith('//') || kept.startsWith('/\\'), next).toBe(false);
			expect(new URL(kept, 'https://fata.plus/login').host, next).toBe('fata.plus');
		}
	});
});

describe('tenantBase', () => {
	it('is empty on the tenant subdomain and /<slug> elsewhere', () => {
		expect(tenantBase('ferme-verte', 'ferme-verte')).toBe('');
		expect(tenantBase('ferme-verte', null)).toBe('/ferme-verte');
	});
});

describe('pathOnHost', () => {
	it('drops the tenant prefix on its own subdomain only', () => {
		expect(pathOnHost('/ferme-verte', 'ferme-verte')).toBe('/');
		expect(pathOnHost('/ferme-verte/projects/2', 'ferme-verte')).toBe('/projects/2');
		expect(pathOnHost('/ferme-verte-bis', 'ferme-verte')).toBe('/ferme-verte-bis');
		expect(pathOnHost('/crm', 'ferme-verte')).toBe('/crm');
		expect(pathOnHost('/ferme-verte', null)).toBe('/ferme-verte');
	});
});

describe('landingUrl', () => {
	const at = (href: string) => new URL(href);
	it('keeps homes as they are on the main host', () => {
		expect(landingUrl('/atelier-sud', at('http://localhost:5173/login'))).toBe('/atelier-sud');
		expect(landingUrl('/crm', at('https://fata.plus/login'))).toBe('/crm');
	});
	it('shortens a home in the host tenant to the subdomain path', () => {
		expect(landingUrl('/ferme-verte', at('http://ferme-verte.localhost:5173/login'))).toBe('/');
	});
	it("sends a home in another tenant to that tenant's host, never into the wrong tenant", () => {
		expect(landingUrl('/atelier-sud', at('http://ferme-verte.localhost:5173/login'))).toBe('http://atelier-sud.localhost:5173/');
		expect(landingUrl('/atelier-sud', at('https://ferme-verte.fata.plus/login'))).toBe('https://atelier-sud.fata.plus/');
	});
	it('leaves app-wide homes alone on a tenant host', () => {
		expect(landingUrl('/crm', at('http://ferme-verte.localhost:5173/login'))).toBe('/crm');
		expect(landingUrl('/app', at('http://ferme-verte.localhost:5173/login'))).toBe('/app');
	});
});
