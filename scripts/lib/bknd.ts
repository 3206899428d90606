import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './root';
import { ServiceProcess } from './ServiceProcess';

export interface BkndServer {
	/** http://127.0.0.1:<port>, as printed by bknd/serve.ts */
	url: string;
	dbPath: string;
	process: ServiceProcess;
	stop(): Promise<void>;
}

const READY = /bknd ready (http:\/\/\S+)/;

/**
 * Starts the real bknd backend (bknd/serve.ts) on a SQLite file, seeded with the demo data.
 * Port 0 lets bknd pick a free port; the URL is read from its ready line.
 */
export async function startBknd({
	dbPath = join(mkdtempSync(join(tmpdir(), 'fp-bknd-')), 'bknd.sqlite'),
	port = 0,
	jwtSecret,
	demoPassword,
	quiet = true
}: { dbPath?: string; port?: number; jwtSecret: string; demoPassword?: string; quiet?: boolean }): Promise<BkndServer> {
	const service = await ServiceProcess.start({
		name: 'bknd',
		command: process.execPath,
		args: [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'bknd/serve.ts')],
		cwd: ROOT,
		env: {
			BKND_PORT: String(port),
			BKND_DB: dbPath,
			BKND_JWT_SECRET: jwtSecret,
			...(demoPassword ? { DEMO_PASSWORD: demoPassword } : {})
		},
		ready: (output) => READY.test(output),
		readyTimeout: 60_000,
		echo: !quiet
	});
	const url = READY.exec(service.log)![1]!;
	return { url, dbPath, process: service, stop: () => service.stop() };
}
