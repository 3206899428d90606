import type { App } from 'bknd';
import { createApp, d1 } from 'bknd/adapter/cloudflare';
import { $console } from 'bknd/utils';
import { createAppConfig } from './appConfig';
import type { LiveBridge } from './bridge/LiveBridge';
import { R2_MEDIA_ADAPTER, registerR2MediaAdapter, R2MediaAdapter } from './R2MediaAdapter';
import { seedDemo } from './seed';
import { readSettings, SettingsError } from './settings';
import { D1Sql, type D1Database } from './sql/d1Sql';

// bknd as a Cloudflare Worker (bknd/wrangler.toml): the one configuration of appConfig.ts on D1, media in R2,
// settings and secrets from the Worker's env (settings.ts, like the Node CLI). Locally: `wrangler dev -c
// bknd/wrangler.toml` (local D1 and R2 under --persist-to). The live bridge runs in passes (no timers between
// requests): after each request in `ctx.waitUntil`, and from the cron every minute (`scheduled`).

export interface BkndWorkerEnv {
	DB: D1Database;
	MEDIA: ConstructorParameters<typeof R2MediaAdapter>[0];
	/** Service binding to the rooms worker (production, staging): deliveries go through it, no public hop. */
	ROOMS?: { fetch(input: string, init?: RequestInit): Promise<Response> };
	[key: string]: unknown;
}

interface WaitUntil {
	waitUntil(promise: Promise<unknown>): void;
}

interface Booted {
	app: Promise<App>;
	bridge?: LiveBridge;
}

// One app per isolate, kept warm: bknd's `serve` rebuilds it per request unless told otherwise, and the build
// (schema sync, our tables, the seed check) is the slow part of a cold start.
let booted: Booted | null = null;
// bknd hands the execution context of the request that built the app to its own async-listener hook; that
// request is long gone on later ones. This one always points at the request in flight.
let currentCtx: WaitUntil | null = null;
const ctxProxy: WaitUntil = { waitUntil: (promise) => currentCtx?.waitUntil(promise) };

/** The bridge's URL when the rooms are reached through the service binding: any origin works, the path matters. */
const ROOMS_BINDING_URL = 'https://rooms.internal';

function boot(env: BkndWorkerEnv, request: Request): Booted {
	// Throws SettingsError (no secret in production, BKND_SEED=1 in production): nothing has touched D1 yet.
	const settings = readSettings(env);
	for (const warning of settings.warnings) console.warn(warning);
	$console.setLevel(settings.logLevel);
	registerR2MediaAdapter(env.MEDIA);
	const rooms = env.ROOMS;
	const { config, bridge } = createAppConfig({
		connection: d1({ binding: env.DB as never }),
		sql: new D1Sql(env.DB),
		media: { type: R2_MEDIA_ADAPTER, config: { binding: 'MEDIA' } },
		jwtSecret: settings.jwtSecret,
		serviceSecret: settings.serviceSecret,
		appOrigins: settings.appOrigins,
		onBuilt: settings.seed ? (app) => seedDemo(app, { password: settings.demoPassword }) : undefined,
		bridge: settings.bridge
			? rooms
				? { liveRoomsUrl: ROOMS_BINDING_URL, secret: settings.bridge.secret, fetch: (url, init) => rooms.fetch(url, init) }
				: { liveRoomsUrl: settings.bridge.liveRoomsUrl, secret: settings.bridge.secret }
			: undefined
	});
	// `registerMedia: false`: bknd's own R2 adapter must not be registered beside ours (no name checks).
	const app = createApp({ ...config, registerMedia: false }, { env, ctx: ctxProxy as never, request });
	return { app, bridge };
}

async function appFor(env: BkndWorkerEnv, request: Request): Promise<Booted & { ready: App }> {
	booted ??= boot(env, request);
	const current = booted;
	try {
		return { ...current, ready: await current.app };
	} catch (error) {
		// A failed build is tried again by the next request, not cached.
		if (booted === current) booted = null;
		throw error;
	}
}

function refusal(error: unknown): Response {
	const message = error instanceof SettingsError ? error.message : 'bknd could not start; see the worker log.';
	console.error(`bknd: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	return Response.json({ error: message }, { status: 500 });
}

export default {
	async fetch(request: Request, env: BkndWorkerEnv, ctx: WaitUntil): Promise<Response> {
		currentCtx = ctx;
		let running;
		try {
			running = await appFor(env, request);
		} catch (error) {
			return refusal(error);
		}
		const response = await running.ready.fetch(request, env, ctx as never);
		// After the answer: the writes' events reach the outbox, then the rooms (bridge/LiveBridge.ts passes).
		if (running.bridge) ctx.waitUntil(running.bridge.afterRequest());
		return response;
	},

	/** Cron Trigger (every minute): the sweep and redelivery a stopped rooms worker or a crash left pending. */
	async scheduled(_controller: unknown, env: BkndWorkerEnv, ctx: WaitUntil): Promise<void> {
		currentCtx = ctx;
		const running = await appFor(env, new Request('https://bknd.internal/__scheduled'));
		await running.bridge?.scheduled();
	}
};
