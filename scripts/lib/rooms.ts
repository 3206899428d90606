import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';
import { ROOT } from './root';
import { roomsBundle } from './roomsBundle';
import type { RoomsRuntimeConfig } from './roomsRuntime';
import { ServiceProcess } from './ServiceProcess';

export interface RoomsServer {
	/** http://127.0.0.1:<port> */
	url: string;
	port: number;
	stateDir: string;
	process: ServiceProcess;
	stop(): Promise<void>;
}

/**
 * Starts the rooms worker (party/wrangler.toml: PartyServer Durable Objects) on a free port: the bundle that ships
 * (`roomsBundle`), run by workerd through Miniflare in a child process (`roomsRuntime.ts`) and served straight on the
 * port, with SQLite-backed Durable Object state in `stateDir` (a new temp folder unless given, so a restart on the
 * same folder proves persistence). Not `wrangler dev`: its dev proxy, a second workerd in front of the worker, is a
 * hop production does not have and doubled the fan-out tail. `bridgeSecret` is the rooms' BRIDGE_SECRET (the same
 * value bknd's bridge signs with): without it live rooms refuse every delivery and project rooms publish no activity.
 */
export async function startRooms({
	stateDir = mkdtempSync(join(tmpdir(), 'fp-rooms-')),
	port,
	secret,
	bridgeSecret,
	quiet = true,
	vars = {}
}: { stateDir?: string; port?: number; secret: string; bridgeSecret?: string; quiet?: boolean; vars?: Record<string, string> }): Promise<RoomsServer> {
	const allVars = { ROOM_TOKEN_SECRET: secret, ...vars, ...(bridgeSecret ? { BRIDGE_SECRET: bridgeSecret } : {}) };
	const chosen = port ?? (await freePort());
	const runtime: RoomsRuntimeConfig = { ...(await roomsBundle()), durableObjectsDir: join(stateDir, 'v3', 'do'), port: chosen, vars: allVars };
	const service = await ServiceProcess.start({
		name: 'rooms',
		command: process.execPath,
		args: ['--import', 'tsx', join(ROOT, 'scripts/lib/roomsRuntime.ts')],
		cwd: ROOT,
		env: { ROOMS_RUNTIME: JSON.stringify(runtime), NO_COLOR: '1' },
		ready: async () => answers(`http://127.0.0.1:${chosen}/`),
		readyTimeout: 90_000,
		echo: !quiet
	});
	return { url: `http://127.0.0.1:${chosen}`, port: chosen, stateDir, process: service, stop: () => service.stop() };
}

/** Where the rooms runtime keeps the SQLite files of one Durable Object class (one file per object) under `stateDir`. */
export function durableObjectDir(stateDir: string, className: 'ProjectRoom' | 'LiveRoom'): string {
	// Miniflare (as wrangler dev) names the folder `<worker name>-<class>`: the local (top-level) name of party/wrangler.toml.
	return join(stateDir, 'v3', 'do', `fataplus-rooms-dev-${className}`);
}

/**
 * One worker under `wrangler dev` on loopback (the storage probe of tests/workerd), offline (no request.cf fetch, no
 * metrics), state persisted in `stateDir`, variables given with `--var NAME:value` (so secrets never touch a file). Ready once workerd answers
 * (any HTTP status: wrangler prints "Ready" a moment before workerd serves).
 */
export async function startWorker({
	name,
	config,
	port,
	stateDir,
	vars,
	args = [],
	quiet = true
}: {
	name: string;
	config: string;
	port: number;
	stateDir: string;
	vars: Record<string, string>;
	/** More `wrangler dev` flags (e.g. `--test-scheduled`). */
	args?: string[];
	quiet?: boolean;
}): Promise<ServiceProcess> {
	return ServiceProcess.start({
		name,
		command: process.execPath,
		args: [
			join(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
			'dev',
			'--config', config,
			'--port', String(port),
			'--ip', '127.0.0.1',
			'--persist-to', stateDir,
			'--show-interactive-dev-session=false',
			...args,
			...Object.entries(vars).flatMap(([key, value]) => ['--var', `${key}:${value}`])
		],
		cwd: ROOT,
		// `log` (wrangler's default) keeps the worker's own console.log lines, which `info` and `warn` drop.
		env: { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: 'log', NO_COLOR: '1' },
		ready: async () => answers(`http://127.0.0.1:${port}/`),
		readyTimeout: 90_000,
		echo: !quiet
	});
}

async function answers(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
		await response.body?.cancel();
		return true;
	} catch {
		return false;
	}
}
