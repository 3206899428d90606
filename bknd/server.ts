import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { serve } from '@hono/node-server';
import type { App } from 'bknd';
import { createRuntimeApp } from 'bknd/adapter';
import { $console } from 'bknd/utils';
import type { ThrottleRules } from './auth/loginThrottle';
import type { LiveBridge, LiveBridgeOptions } from './bridge/LiveBridge';
import { createBkndConfig } from './config';
import { seedDemo } from './seed';
import { DEFAULT_LIVE_ROOMS_URL } from './settings';

export { DEFAULT_LIVE_ROOMS_URL } from './settings';

export interface StartBkndOptions {
	/** The SQLite file; its folder is created if missing. */
	dbPath: string;
	/** Uploaded media (frame images); created if missing. Default: `media/` beside the SQLite file. */
	mediaDir?: string;
	/** 0 picks a free port. Default 1337. */
	port?: number;
	/** Default 127.0.0.1 (never listen on every interface by accident). */
	host?: string;
	jwtSecret: string;
	/** Password of the demo users (default `fataplus-demo`). */
	demoPassword?: string;
	/** Seed the demo data (idempotent). Default true. */
	seed?: boolean;
	/** bknd's own log level; `warn` keeps its per-request logs quiet. Default `warn`. */
	logLevel?: 'critical' | 'error' | 'warn' | 'info' | 'log' | 'debug';
	/** Where the live rooms listen (default `http://127.0.0.1:1999`); events are delivered there (bridge/). */
	liveRoomsUrl?: string;
	/** BRIDGE_SECRET shared with the rooms (>= 32 characters). Without it changes are recorded in the outbox but not delivered. */
	bridgeSecret?: string;
	/**
	 * BKND_SERVICE_SECRET shared with the web app's server: the only caller of the public routes (intake leads,
	 * bootcamp applications) that anonymous visitors reach through it. Without it those routes answer 503.
	 */
	serviceSecret?: string;
	/** `false`: no live bridge at all (no outbox, no sweeper). `updated_at` is stamped either way. */
	bridge?: false;
	/** BKND_APP_ORIGINS: the browser origins allowed to call bknd (auth/originGate.ts). Default: none. */
	appOrigins?: readonly string[];
	/** Tests only: shorter sign-in throttle windows (auth/loginThrottle.ts). */
	loginThrottle?: ThrottleRules;
	/** Tuning of the bridge for tests (intervals, backoff); see bridge/LiveBridge.ts. */
	bridgeTuning?: Omit<LiveBridgeOptions, 'liveRoomsUrl' | 'secret'>;
}

export interface RunningBknd {
	/** `http://<host>:<port>`, no trailing slash. */
	url: string;
	port: number;
	app: App;
	/** The live bridge, unless `bridge: false`. */
	bridge?: LiveBridge;
	/** Stops listening, then the bridge (everything offered reaches the outbox), then closes the database. */
	close(): Promise<void>;
}

/**
 * Boots bknd on a SQLite file and serves it over HTTP; resolves once it answers requests.
 *
 * @example
 * const bknd = await startBknd({ dbPath: '/tmp/t.sqlite', port: 0, jwtSecret: 'test' });
 * await fetch(`${bknd.url}/api/auth/password/login`, ...); await bknd.close();
 */
export async function startBknd(opts: StartBkndOptions): Promise<RunningBknd> {
	// bknd logs through a global console whose level is shared by every app in the process.
	$console.setLevel(opts.logLevel ?? 'warn');
	mkdirSync(dirname(opts.dbPath), { recursive: true });

	const { config, client, bridge } = createBkndConfig({
		dbPath: opts.dbPath,
		mediaDir: opts.mediaDir,
		jwtSecret: opts.jwtSecret,
		serviceSecret: opts.serviceSecret,
		appOrigins: opts.appOrigins,
		loginThrottle: opts.loginThrottle,
		onBuilt: opts.seed === false ? undefined : (app) => seedDemo(app, { password: opts.demoPassword }),
		bridge:
			opts.bridge === false
				? undefined
				: { ...opts.bridgeTuning, liveRoomsUrl: opts.liveRoomsUrl ?? DEFAULT_LIVE_ROOMS_URL, secret: opts.bridgeSecret }
	});
	// WAL + NORMAL: about twice the write throughput of the default journal on these machines (docs/bknd.md), and
	// readers no longer wait for a writer. Set before bknd opens its first query.
	await client.execute('PRAGMA journal_mode=WAL');
	await client.execute('PRAGMA synchronous=NORMAL');

	let app: App;
	try {
		// `args` is required by bknd's adapter when the config's `app` is a function (code mode makes it one).
		app = await createRuntimeApp(config, {});
		// Before serving: the boot sweep settles what a crash left, and delivery of the outbox resumes.
		await bridge?.start();
	} catch (error) {
		await bridge?.stop().catch(() => undefined);
		client.close();
		throw error;
	}

	const host = opts.host ?? '127.0.0.1';
	const server = await new Promise<Server>((resolve, reject) => {
		const s = serve({ fetch: app.fetch, port: opts.port ?? 1337, hostname: host }, () => resolve(s as Server));
		s.once('error', reject);
	});
	const port = (server.address() as AddressInfo).port;

	return {
		url: `http://${host}:${port}`,
		port,
		app,
		bridge,
		close: async () => {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				// Keep-alive sockets would hold close() open until they time out.
				server.closeAllConnections();
			});
			await bridge?.stop();
			client.close();
		}
	};
}
