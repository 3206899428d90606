import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/freePort';
import { ROOT } from '../../scripts/lib/root';
import { ServiceProcess } from '../../scripts/lib/ServiceProcess';
import { resolveConfig } from '../../scripts/wranglerRoutes';

// BACKEND-WORKERD-1: the web worker's service bindings in real workerd. The production web config's `[[services]]`
// (BKND, ROOMS) are pointed at the local twins of those workers (bknd/wrangler.toml and party/wrangler.toml at
// their top level) and the three run in one `wrangler dev` session, where service bindings resolve locally.
// BKND_URL and ROOMS_INTERNAL_URL point at a port where nothing listens: /api/health can only find bknd and the
// rooms through the bindings (web/src/lib/server/backends.ts). If the web server fetched the URLs instead, both
// would read as down.

const configs = { bknd: join(ROOT, 'bknd/wrangler.toml'), rooms: join(ROOT, 'party/wrangler.toml'), web: join(ROOT, 'wrangler.toml') };
const dir = mkdtempSync(join(tmpdir(), 'fp-bindings-'));
let web: ServiceProcess;
let url: string;

/** The web config for this test: the local web worker, with production's service bindings renamed to the local workers. */
function webConfigWithProductionBindings(): string {
	const production = { bknd: resolveConfig(configs.bknd, 'production').name, rooms: resolveConfig(configs.rooms, 'production').name };
	const local = { bknd: resolveConfig(configs.bknd, null).name, rooms: resolveConfig(configs.rooms, null).name };
	const services = resolveConfig(configs.web, 'production').services ?? [];
	expect(services.map((s: { binding: string }) => s.binding).sort()).toEqual(['BKND', 'ROOMS']);
	const toLocal = (service: string) => (service === production.bknd ? local.bknd : service === production.rooms ? local.rooms : `(not a worker here: ${service})`);
	return [
		'name = "fataplus-crm-bindings-test"',
		`main = ${JSON.stringify(join(ROOT, 'web/.svelte-kit/cloudflare/_worker.js'))}`,
		`compatibility_date = ${JSON.stringify(resolveConfig(configs.web, null).compatibility_date)}`,
		'compatibility_flags = ["nodejs_compat"]',
		'[assets]',
		'binding = "ASSETS"',
		`directory = ${JSON.stringify(join(ROOT, 'web/.svelte-kit/cloudflare'))}`,
		...services.flatMap((s: { binding: string; service: string }) => ['[[services]]', `binding = "${s.binding}"`, `service = "${toLocal(s.service)}"`])
	].join('\n');
}

beforeAll(async () => {
	const webConfig = join(dir, 'web.toml');
	writeFileSync(webConfig, webConfigWithProductionBindings());
	const [port, nobody] = [await freePort(), await freePort()];
	url = `http://127.0.0.1:${port}`;
	web = await ServiceProcess.start({
		name: 'web+bknd+rooms',
		command: process.execPath,
		args: [
			join(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
			'dev',
			'-c', webConfig,
			'-c', configs.rooms,
			'-c', configs.bknd,
			'--port', String(port),
			'--ip', '127.0.0.1',
			'--persist-to', join(dir, 'state'),
			'--show-interactive-dev-session=false',
			'--var', `BKND_URL:http://127.0.0.1:${nobody}`,
			'--var', `ROOMS_INTERNAL_URL:http://127.0.0.1:${nobody}`,
			'--var', `ROOM_TOKEN_SECRET:${'t'.repeat(40)}`
		],
		cwd: ROOT,
		env: { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
		ready: (output) => output.includes('Ready on'),
		readyTimeout: 90_000
	});
});

afterAll(async () => {
	await web?.stop();
	rmSync(dir, { recursive: true, force: true });
});

describe('service bindings in workerd', () => {
	it('BACKEND-WORKERD-1: with the BKND and ROOMS bindings, /api/health reaches bknd and the rooms although their URLs are dead', async () => {
		await expect
			.poll(
				async () => {
					const response = await fetch(`${url}/api/health`).catch(() => null);
					return response ? await response.json() : null;
				},
				{ timeout: 20_000, interval: 250 }
			)
			.toEqual({ ok: true, bknd: true, rooms: true });
	}, 60_000);
});
