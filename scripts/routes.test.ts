import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESERVED_SLUGS } from '../shared/tenants';
import { ROOT } from './lib/root';
import { findWranglerConfigs, readWorker, readWorkers, routeCollisions, subdomainOf, type RouteClaim } from './wranglerRoutes';

// Every wrangler config in the repository (the web's, the rooms' in party/ and bknd's in bknd/), as
// `wrangler deploy --env <name>` resolves it. What must never happen: two Workers claiming the same route (the
// second deploy takes the first one's traffic), a plain `wrangler deploy` replacing production, or a Worker
// answering a hostname that a tenant could also get as its subdomain.

const ZONE = 'fata.plus';
const configs = findWranglerConfigs(ROOT);
const workers = configs.flatMap((path) => readWorkers(ROOT, path));
const claims = workers.flatMap((w) => w.routes);
const describeClaims = (all: RouteClaim[]) => all.map((c) => `${c.worker} (${c.config}${c.env ? ` --env ${c.env}` : ''})`).join(', ');

describe('wrangler configs: worker names and routes', () => {
	it('ROUTES-0: the configs are found and read (the web worker at least)', () => {
		expect(configs.map((path) => path.slice(ROOT.length))).toContain('wrangler.toml');
		expect(workers.length).toBeGreaterThanOrEqual(3);
	});

	it('ROUTES-1: no route pattern (hostname + path) is claimed by two workers, in any environment', () => {
		const collisions = [...routeCollisions(claims)].map(([pattern, all]) => `${pattern}: ${describeClaims(all)}`);
		expect(collisions).toEqual([]);
	});

	it('ROUTES-1b: the check catches a collision (the bknd worker claiming the web wildcard)', () => {
		const web: RouteClaim = { config: 'wrangler.toml', env: 'production', worker: 'fataplus-crm', pattern: '*.fata.plus/*' };
		const bknd: RouteClaim = { config: 'bknd/wrangler.toml', env: 'production', worker: 'fataplus-bknd', pattern: '*.fata.plus/*' };
		const rooms: RouteClaim = { config: 'party/wrangler.toml', env: 'production', worker: 'fataplus-rooms', pattern: 'bknd.fata.plus/ws/*' };
		expect([...routeCollisions([web, bknd, rooms]).keys()]).toEqual(['*.fata.plus/*']);
	});

	it('ROUTES-2: the production web worker is fataplus-crm on fata.plus/* and *.fata.plus/*', () => {
		const web = workers.find((w) => w.config === 'wrangler.toml' && w.env === 'production');
		expect(web?.worker).toBe('fataplus-crm');
		expect(web?.routes.map((r) => r.pattern).sort()).toEqual(['*.fata.plus/*', 'fata.plus/*']);
	});

	it('ROUTES-3: a worker has a different name in every environment, and local runs (the top level) claim no route', () => {
		const names = workers.map((w) => w.worker);
		expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
		for (const local of workers.filter((w) => w.env === null)) expect(local.routes, local.config).toEqual([]);
	});

	it('ROUTES-5: in production and staging, the web reaches its own environment: URLs on the bknd and rooms routes, bindings to their workers', () => {
		const find = (config: string, env: string) => workers.find((w) => w.config === config && w.env === env)!;
		for (const env of ['production', 'staging']) {
			const web = readWorker(ROOT, join(ROOT, 'wrangler.toml'), env).resolved;
			const bknd = find('bknd/wrangler.toml', env);
			const rooms = find('party/wrangler.toml', env);
			const host = (url: unknown) => new URL(String(url)).host;
			expect(bknd.routes.map((r) => r.pattern), env).toContain(`${host(web.vars.BKND_URL)}/api/*`);
			for (const key of ['ROOMS_URL', 'ROOMS_INTERNAL_URL']) expect(rooms.routes.map((r) => r.pattern), `${env} ${key}`).toContain(`${host(web.vars[key])}/ws/*`);
			expect(Object.fromEntries((web.services ?? []).map((service: { binding: string; service: string }) => [service.binding, service.service])), env).toEqual({ BKND: bknd.worker, ROOMS: rooms.worker });
		}
	});

	it('ROUTES-4: every fixed subdomain a route names is a reserved slug, so no tenant can be given it', () => {
		const named = claims.map((c) => subdomainOf(c.pattern, ZONE)).filter((label): label is string => label !== null);
		expect(named.filter((label) => !RESERVED_SLUGS.has(label))).toEqual([]);
	});
});
