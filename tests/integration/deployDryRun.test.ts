import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/root';

// DEPLOY-DRY-1: `npm run deploy -- --dry-run` on this repository, as an operator runs it before a deploy: the three
// real Workers (bknd, rooms, web) bundled by `wrangler deploy --dry-run`, offline, each printed with its name,
// routes and bindings. An integration test because the web bundle starts from the vite build (globalSetup makes
// it once); scripts/deploy.test.ts covers the failures and the real deploy's order.

function dryRun(...args: string[]) {
	const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/deploy.ts'), '--dry-run', ...args], {
		cwd: ROOT,
		encoding: 'utf8',
		// Offline: no Cloudflare account, no network needed.
		env: { ...process.env, CLOUDFLARE_API_TOKEN: '', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
		timeout: 180_000
	});
	return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('npm run deploy -- --dry-run (this repository)', () => {
	it('DEPLOY-DRY-1: production: the three bundles build and each worker prints its routes and bindings', () => {
		const { status, output } = dryRun();
		expect(status, output).toBe(0);
		expect(output).toMatch(/✓ fataplus-bknd \(bknd\/wrangler.toml --env production\), bundle \d+ KiB\n {2}routes: bknd.fata.plus\/api\/\*\n {2}DB: D1 database → fataplus-bknd/);
		expect(output).toMatch(/✓ fataplus-rooms \(party\/wrangler.toml --env production\), bundle \d+ KiB\n {2}routes: bknd.fata.plus\/ws\/\*\n {2}Project: Durable Object → ProjectRoom/);
		expect(output).toMatch(/✓ fataplus-crm \(wrangler.toml --env production\), bundle \d+ KiB\n {2}routes: fata.plus\/\*, \*.fata.plus\/\*\n {2}BKND: service → fataplus-bknd\n {2}ROOMS: service → fataplus-rooms/);
		expect(output).toMatch(/All 3 bundles built/);
	}, 180_000);

	it('DEPLOY-DRY-1b: staging: the same three workers under their staging names and hosts', () => {
		const { status, output } = dryRun('--env', 'staging');
		expect(status, output).toBe(0);
		expect(output).toMatch(/✓ fataplus-bknd-staging .*\n {2}routes: bknd-staging.fata.plus\/api\/\*/);
		expect(output).toMatch(/✓ fataplus-rooms-staging .*\n {2}routes: bknd-staging.fata.plus\/ws\/\*/);
		expect(output).toMatch(/✓ fataplus-crm-staging .*\n {2}routes: staging.fata.plus\/\*\n {2}BKND: service → fataplus-bknd-staging\n {2}ROOMS: service → fataplus-rooms-staging/);
	}, 180_000);
});
