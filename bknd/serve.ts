import { resolve } from 'node:path';
import { startBknd } from './server';
import { readSettings, SettingsError, type BkndSettings } from './settings';

// CLI entry: `npx tsx bknd/serve.ts` (or `npm run bknd`). Configured by environment variables only:
//   BKND_PORT        default 1337; 0 picks a free port
//   BKND_HOST        default 127.0.0.1
//   BKND_DB          default .data/bknd.sqlite (its folder is created)
//   BKND_MEDIA_DIR   uploaded frame images (created if missing); default `media/` beside BKND_DB: .data/media
//   ENVIRONMENT / NODE_ENV  either one `production` means production (below: "in production")
//   BKND_JWT_SECRET  required in production; otherwise a fixed dev secret, with a warning
//   DEMO_PASSWORD    password of the demo users (default fataplus-demo)
//   BKND_SEED        default on locally; 0/false/off skips the demo seed. In production there is never a seed, and
//                    BKND_SEED=1 makes bknd refuse to start (exit 1): the demo password is published
//                    (environment.ts). The first admin comes from `npm run admin:invite`.
//   BKND_LOG_LEVEL   bknd's log level (default warn; bknd logs every refused request as an error)
//   LIVE_ROOMS_URL   where the live rooms listen (default http://127.0.0.1:1999); changes are delivered there
//   BRIDGE_SECRET    signs those deliveries (>= 32 characters, shared with the rooms); required when
//                    in production, otherwise a fixed dev secret, with a warning
//   BKND_BRIDGE      default on; 0/false/off: no live bridge at all
//   BKND_SERVICE_SECRET  shared with the web app (>= 32 characters): lets its server create public leads and
//                    bootcamp applications (routes under /api/fataplus/public). Required in production,
//                    otherwise a fixed dev secret, with a warning
//   BKND_APP_ORIGINS the browser origins allowed to call bknd, comma-separated exact origins; default
//                    https://fata.plus in production, else the web app's local origins (port 5173)
// The settings are read by settings.ts (shared with the Worker entry).
// Prints exactly one line on stdout, `bknd ready http://127.0.0.1:<port>`, once it answers requests (test
// harnesses wait for it); everything else goes to stderr.


function fail(message: string): never {
	console.error(`bknd: ${message}`);
	process.exit(1);
}

function port(): number {
	const raw = process.env.BKND_PORT ?? '1337';
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0 || value > 65535) fail(`BKND_PORT must be a port number (0 = any free port), got "${raw}".`);
	return value;
}

function settings(): BkndSettings {
	try {
		return readSettings(process.env);
	} catch (error) {
		return fail(error instanceof SettingsError ? error.message : String(error));
	}
}

const host = process.env.BKND_HOST || '127.0.0.1';
const read = settings();
for (const warning of read.warnings) console.warn(warning);
const bknd = await startBknd({
	dbPath: resolve(process.env.BKND_DB || '.data/bknd.sqlite'),
	mediaDir: process.env.BKND_MEDIA_DIR ? resolve(process.env.BKND_MEDIA_DIR) : undefined,
	port: port(),
	host,
	jwtSecret: read.jwtSecret,
	demoPassword: read.demoPassword,
	seed: read.seed,
	logLevel: read.logLevel,
	serviceSecret: read.serviceSecret,
	appOrigins: read.appOrigins,
	...(read.bridge ? { liveRoomsUrl: read.bridge.liveRoomsUrl, bridgeSecret: read.bridge.secret } : { bridge: false as const })
}).catch((error: unknown) => fail(`could not start: ${error instanceof Error ? error.stack : String(error)}`));

// A wildcard bind is reachable on loopback; print an address a client can actually open.
const readyHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
process.stdout.write(`bknd ready http://${readyHost}:${bknd.port}\n`);

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	process.on(signal, () => {
		if (closing) return;
		closing = true;
		bknd.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error('bknd: error while closing', error);
				process.exit(1);
			}
		);
	});
}
