import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './root';
import { ServiceProcess } from './ServiceProcess';

export interface BkndServer {
	/** http://127.0.0.1:<port>, as printed by bknd/serve.ts */
	url: string;
	dbPath: string;
	/** Where uploaded media are written (`media/` beside the database unless given). */
	mediaDir: string;
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
	mediaDir = join(dirname(dbPath), 'media'),
	liveRoomsUrl,
	bridgeSecret,
	serviceSecret,
	quiet = true
}: {
	dbPath?: string;
	port?: number;
	jwtSecret: string;
	demoPassword?: string;
	mediaDir?: string;
	/** Where the live rooms listen: bknd's changes are delivered there, signed with `bridgeSecret`. */
	liveRoomsUrl?: string;
	/** BRIDGE_SECRET, as given to the rooms (>= 32 characters); required with `liveRoomsUrl`. */
	bridgeSecret?: string;
	/** BKND_SERVICE_SECRET, as given to the web app (>= 32 characters). */
	serviceSecret?: string;
	quiet?: boolean;
}): Promise<BkndServer> {
	if (liveRoomsUrl && !bridgeSecret) throw new Error('startBknd: liveRoomsUrl needs the bridgeSecret the rooms were started with.');
	const service = await ServiceProcess.start({
		name: 'bknd',
		command: process.execPath,
		args: [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'bknd/serve.ts')],
		cwd: ROOT,
		env: {
			BKND_PORT: String(port),
			BKND_DB: dbPath,
			BKND_MEDIA_DIR: mediaDir,
			BKND_JWT_SECRET: jwtSecret,
			...(demoPassword ? { DEMO_PASSWORD: demoPassword } : {}),
			...(serviceSecret ? { BKND_SERVICE_SECRET: serviceSecret } : {}),
			// Without rooms to talk to, no bridge: a default URL could reach someone else's rooms on :1999.
			...(liveRoomsUrl && bridgeSecret ? { LIVE_ROOMS_URL: liveRoomsUrl, BRIDGE_SECRET: bridgeSecret } : { BKND_BRIDGE: 'off' })
		},
		ready: (output) => READY.test(output),
		readyTimeout: 60_000,
		echo: !quiet
	});
	const url = READY.exec(service.log)![1]!;
	return { url, dbPath, mediaDir, process: service, stop: () => service.stop() };
}
