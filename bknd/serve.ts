import { resolve } from 'node:path';
import { MIN_BRIDGE_SECRET_LENGTH } from '../shared/live/signature';
import { parseOrigins } from './auth/originGate';
import { LOCAL_APP_ORIGINS, PRODUCTION_APP_ORIGINS } from './config';
import { demoSeedWanted, isProduction } from './environment';
import { DEFAULT_LIVE_ROOMS_URL, startBknd, type StartBkndOptions } from './server';

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
// Prints exactly one line on stdout, `bknd ready http://127.0.0.1:<port>`, once it answers requests (test
// harnesses wait for it); everything else goes to stderr.

const DEV_JWT_SECRET = 'fataplus-local-dev-only-secret-do-not-use-in-production';
const DEV_BRIDGE_SECRET = 'fataplus-local-dev-only-bridge-secret-never-in-production';
export const DEV_SERVICE_SECRET = 'fataplus-local-dev-only-service-secret-never-in-production';
const MIN_SERVICE_SECRET_LENGTH = 32;
const LOG_LEVELS = ['critical', 'error', 'warn', 'info', 'log', 'debug'] as const;

function fail(message: string): never {
	console.error(`bknd: ${message}`);
	process.exit(1);
}

const production = isProduction(process.env);

function jwtSecret(): string {
	const secret = process.env.BKND_JWT_SECRET;
	if (secret) return secret;
	if (production) fail('BKND_JWT_SECRET is required in production.');
	console.warn('bknd: BKND_JWT_SECRET is not set; using the local development secret (never in production).');
	return DEV_JWT_SECRET;
}

function bridgeSecret(): string {
	const secret = process.env.BRIDGE_SECRET;
	if (secret) {
		if (secret.length < MIN_BRIDGE_SECRET_LENGTH) fail(`BRIDGE_SECRET must be at least ${MIN_BRIDGE_SECRET_LENGTH} characters.`);
		return secret;
	}
	if (production) fail('BRIDGE_SECRET is required in production.');
	console.warn('bknd: BRIDGE_SECRET is not set; using the local development secret for live deliveries (never in production).');
	return DEV_BRIDGE_SECRET;
}

function serviceSecret(): string {
	const secret = process.env.BKND_SERVICE_SECRET;
	if (secret) {
		if (secret.length < MIN_SERVICE_SECRET_LENGTH) fail(`BKND_SERVICE_SECRET must be at least ${MIN_SERVICE_SECRET_LENGTH} characters.`);
		return secret;
	}
	if (production) fail('BKND_SERVICE_SECRET is required in production.');
	console.warn('bknd: BKND_SERVICE_SECRET is not set; using the local development secret for the web app (never in production).');
	return DEV_SERVICE_SECRET;
}

function appOrigins(): readonly string[] {
	const list = process.env.BKND_APP_ORIGINS;
	if (list) return parseOrigins(list);
	return production ? PRODUCTION_APP_ORIGINS : LOCAL_APP_ORIGINS;
}

function port(): number {
	const raw = process.env.BKND_PORT ?? '1337';
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0 || value > 65535) fail(`BKND_PORT must be a port number (0 = any free port), got "${raw}".`);
	return value;
}

function logLevel(): StartBkndOptions['logLevel'] {
	const raw = process.env.BKND_LOG_LEVEL ?? 'warn';
	const level = LOG_LEVELS.find((l) => l === raw);
	return level ?? fail(`BKND_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}".`);
}

function seed(): boolean {
	try {
		return demoSeedWanted(process.env);
	} catch (error) {
		return fail(error instanceof Error ? error.message : String(error));
	}
}

const host = process.env.BKND_HOST || '127.0.0.1';
const off = (value: string | undefined) => ['0', 'false', 'off', 'no'].includes((value ?? '').toLowerCase());
const bridgeOn = !off(process.env.BKND_BRIDGE);
const bknd = await startBknd({
	dbPath: resolve(process.env.BKND_DB || '.data/bknd.sqlite'),
	mediaDir: process.env.BKND_MEDIA_DIR ? resolve(process.env.BKND_MEDIA_DIR) : undefined,
	port: port(),
	host,
	jwtSecret: jwtSecret(),
	demoPassword: process.env.DEMO_PASSWORD || undefined,
	seed: seed(),
	logLevel: logLevel(),
	serviceSecret: serviceSecret(),
	appOrigins: appOrigins(),
	...(bridgeOn ? { liveRoomsUrl: process.env.LIVE_ROOMS_URL || DEFAULT_LIVE_ROOMS_URL, bridgeSecret: bridgeSecret() } : { bridge: false as const })
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
