import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';
import { ROOT } from './root';
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
 * Starts real `partykit dev` (workerd) on a free port with its state in `stateDir`
 * (a new temp folder unless given, so a restart on the same folder proves persistence).
 * `bridgeSecret` is the rooms' BRIDGE_SECRET (the same value bknd's bridge signs with): without it live
 * rooms refuse every delivery and project rooms publish no activity.
 */
export async function startRooms({
	stateDir = mkdtempSync(join(tmpdir(), 'fp-rooms-')),
	port,
	secret,
	bridgeSecret,
	quiet = true,
	vars = {}
}: { stateDir?: string; port?: number; secret: string; bridgeSecret?: string; quiet?: boolean; vars?: Record<string, string> }): Promise<RoomsServer> {
	const allVars = { ...vars, ...(bridgeSecret ? { BRIDGE_SECRET: bridgeSecret } : {}) };
	const chosen = port ?? (await freePort());
	const url = `http://127.0.0.1:${chosen}`;
	const service = await ServiceProcess.start({
		name: 'partykit dev',
		command: process.execPath,
		args: [
			join(ROOT, 'node_modules/partykit/dist/bin.mjs'),
			'dev',
			'--port', String(chosen),
			'--disable-request-cf-fetch',
			'--no-hotkeys',
			'--persist', stateDir,
			'--var', `ROOM_TOKEN_SECRET=${secret}`,
			...Object.entries(allVars).flatMap(([key, value]) => ['--var', `${key}=${value}`])
		],
		cwd: ROOT,
		env: { PARTYKIT_TELEMETRY: 'false', DO_NOT_TRACK: '1' },
		// "Ready on" is printed by the node wrapper; workerd answers a moment later, so ask it.
		ready: async (output) => output.includes('Ready on') && (await answers(`${url}/parties/main/ping`)),
		readyTimeout: 60_000,
		echo: !quiet
	});
	return { url, port: chosen, stateDir, process: service, stop: () => service.stop() };
}

async function answers(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
		await response.body?.cancel();
		return true;
	} catch {
		return false;
	}
}
