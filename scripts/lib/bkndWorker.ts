import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getPlatformProxy } from 'wrangler';
import type { D1Database } from '../../bknd/sql/d1Sql';
import { freePort } from './freePort';
import { ROOT } from './root';
import { startWorker } from './rooms';
import type { ServiceProcess } from './ServiceProcess';

export const BKND_WORKER_CONFIG = join(ROOT, 'bknd/wrangler.toml');

export interface BkndWorkerServer {
	/** http://127.0.0.1:<port> */
	url: string;
	port: number;
	/** wrangler dev's --persist-to: local D1 and R2 live here; a restart on the same folder keeps them. */
	stateDir: string;
	process: ServiceProcess;
	/** Runs the Cron Trigger now (`wrangler dev --test-scheduled`): the bridge's sweep and redelivery. */
	scheduled(): Promise<void>;
	stop(): Promise<void>;
}

/**
 * Starts bknd as a Worker (bknd/wrangler.toml, bknd/worker.ts) under real `wrangler dev` on a free port, local
 * D1 and R2 in `stateDir` (a new temp folder unless given), variables and secrets as `--var` (`vars`, e.g.
 * BKND_JWT_SECRET, BKND_SEED, LIVE_ROOMS_URL, BRIDGE_SECRET). Ready once workerd answers; the first request
 * builds the app (schema sync, seed), so this also waits for that.
 */
export async function startBkndWorker({
	stateDir = mkdtempSync(join(tmpdir(), 'fp-bknd-worker-')),
	port,
	vars,
	quiet = true
}: { stateDir?: string; port?: number; vars: Record<string, string>; quiet?: boolean }): Promise<BkndWorkerServer> {
	const chosen = port ?? (await freePort());
	const service = await startWorker({ name: 'bknd-worker', config: BKND_WORKER_CONFIG, port: chosen, stateDir, vars, args: ['--test-scheduled'], quiet });
	const url = `http://127.0.0.1:${chosen}`;
	return {
		url,
		port: chosen,
		stateDir,
		process: service,
		scheduled: async () => {
			const response = await fetch(`${url}/__scheduled?cron=*+*+*+*+*`);
			const body = await response.text();
			if (response.status !== 200) throw new Error(`scheduled: ${response.status} ${body}`);
		},
		stop: () => service.stop()
	};
}

/**
 * Reads the local D1 of a bknd worker's `stateDir` from Node (wrangler's getPlatformProxy on the same
 * persist folder): what the worker wrote, or did not.
 */
export async function queryLocalD1<T = Record<string, unknown>>(stateDir: string, sql: string, ...args: unknown[]): Promise<T[]> {
	const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath: BKND_WORKER_CONFIG, persist: { path: join(stateDir, 'v3') } });
	try {
		const prepared = proxy.env.DB.prepare(sql);
		const result = await (args.length > 0 ? prepared.bind(...args) : prepared).all();
		return (result.results ?? []) as T[];
	} finally {
		await proxy.dispose();
	}
}
