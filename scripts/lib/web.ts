import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';
import { ROOT } from './root';
import { ServiceProcess } from './ServiceProcess';

export interface WebServer {
	/** http://localhost:<port> (a `localhost` origin so tenant subdomains `<slug>.localhost:<port>` work in Chromium) */
	url: string;
	port: number;
	process: ServiceProcess;
	stop(): Promise<void>;
}

export interface WebSettings {
	bkndUrl: string;
	/** The rooms' base URL as browsers reach it. */
	roomsUrl: string;
	roomTokenSecret: string;
	/** BKND_SERVICE_SECRET, as given to bknd. */
	serviceSecret?: string;
	/** More worker variables (e.g. ANTHROPIC_BASE_URL in tests). */
	vars?: Record<string, string>;
	port?: number;
	quiet?: boolean;
}

/**
 * Serves the built web app (see webBuild.ts) in local workerd through `wrangler dev`,
 * the same runtime Cloudflare runs in production, fully offline.
 */
export async function startWeb({ bkndUrl, roomsUrl, roomTokenSecret, serviceSecret, vars = {}, port, quiet = true }: WebSettings): Promise<WebServer> {
	const chosen = port ?? (await freePort());
	const url = `http://localhost:${chosen}`;
	const service = await ServiceProcess.start({
		name: 'web',
		command: process.execPath,
		args: [
			join(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
			'dev',
			'--config', join(ROOT, 'wrangler.toml'),
			'--port', String(chosen),
			'--ip', '127.0.0.1',
			'--persist-to', mkdtempSync(join(tmpdir(), 'fp-wrangler-')),
			'--show-interactive-dev-session=false',
			'--var', `BKND_URL:${bkndUrl}`,
			'--var', `ROOMS_URL:${roomsUrl}`,
			'--var', `ROOMS_INTERNAL_URL:${roomsUrl}`,
			'--var', `ROOM_TOKEN_SECRET:${roomTokenSecret}`,
			...(serviceSecret ? ['--var', `BKND_SERVICE_SECRET:${serviceSecret}`] : []),
			...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`])
		],
		cwd: ROOT,
		env: { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: quiet ? 'warn' : 'info', NO_COLOR: '1' },
		ready: async () => answers(`http://127.0.0.1:${chosen}/api/health`),
		readyTimeout: 90_000,
		echo: !quiet
	});
	return { url, port: chosen, process: service, stop: () => service.stop() };
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
