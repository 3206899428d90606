import type { App, Connection } from 'bknd';
import type { RuntimeBkndConfig } from 'bknd/adapter';
import { code } from 'bknd/modes';
import { installHardening } from './hardening';
import { installLoginGate } from './auth/loginGate';
import { LoginThrottle, type ThrottleRules } from './auth/loginThrottle';
import { installOriginGate } from './auth/originGate';
import { createEndedSessionsTable, installSessionCheck } from './auth/sessions';
import { giveEachTokenAnId, SESSION_ID_CLAIM } from './auth/sessionId';
import { withMediaPermissions } from './mediaRules';
import { MAX_MEDIA_BYTES } from '../shared/mediaNames';
import { installProjectMembers } from './projectMembers';
import { installBootcampRoutes } from './routes/bootcamp';
import { installConvertRoute } from './routes/convert';
import { installIntakeRoutes } from './routes/intake';
import { installUserRoutes } from './routes/users';
import { createSubmissionsTable } from './routes/submissionLimit';
import { ROLE_CONFIG } from './policies';
import { schema } from './schema';
import { registerDataRules } from './dataRules';
import { installBulkWrites } from './bridge/bulkWrites';
import { LiveBridge, type LiveBridgeOptions } from './bridge/LiveBridge';
import type { Sql } from './sql/Sql';

// The one bknd configuration every entry uses: the Node server (server.ts via config.ts: libsql on a file, local
// media folder) and the Worker (worker.ts: D1, R2). Schema, row policies, hardening, our routes and the live
// bridge are all here; an entry only brings its database connection, its `Sql` on the same database and its
// media adapter. Nothing here imports Node-only modules (it is bundled into the Worker).

/** Eight hours: one working day. Claims (role, tenant) are re-read at the next login, so keep it short. */
export const JWT_EXPIRES_SECONDS = 8 * 60 * 60;

/** bknd's `media.adapter` setting: an adapter type registered in bknd's media registry and its config. */
export interface MediaAdapterSetting {
	type: string;
	config: Record<string, unknown>;
}

export interface AppConfigOptions {
	/** bknd's connection (libsql on Node, D1 on Workers). */
	connection: Connection;
	/** Our own SQL on the same database (bridge tables). */
	sql: Sql;
	/** Where uploaded media go (already registered in bknd's media registry by the entry). */
	media: MediaAdapterSetting;
	/** Signs the JWTs and the `auth` cookie. Required: without it bknd's code mode cannot log anyone in. */
	jwtSecret: string;
	/** Runs after the schema sync, on every boot (see seed.ts: idempotent). */
	onBuilt?: (app: App) => Promise<void>;
	/** The live bridge (bridge/LiveBridge.ts); none without it. The caller starts and stops it. */
	bridge?: LiveBridgeOptions;
	/** BKND_SERVICE_SECRET: the web app's server calls the public routes (routes/serviceAuth.ts) with it. */
	serviceSecret?: string;
	/** The only browser origins allowed to call bknd (auth/originGate.ts, bknd's CORS). Default: none. */
	appOrigins?: readonly string[];
	/** Tests only: shorter sign-in throttle windows (auth/loginThrottle.ts); production uses LOGIN_THROTTLE. */
	loginThrottle?: ThrottleRules;
}

/** The web app's local origins (`npm start`, vite dev), when BKND_APP_ORIGINS is not set outside production. */
export const LOCAL_APP_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'] as const;
/** Production: the agency's site. Browsers never call bknd themselves (the web app's server does), see README. */
export const PRODUCTION_APP_ORIGINS = ['https://fata.plus'] as const;

export interface AppConfig {
	config: RuntimeBkndConfig;
	/** Present when `options.bridge` was given: `start()` it once the app is built, `stop()` it before closing `client`. */
	bridge?: LiveBridge;
}

/**
 * The bknd configuration of every entry: code mode, add-only schema sync, bcrypt passwords, expiring JWTs,
 * the guard's roles and our hardening middleware, on the connection and media the entry gives.
 *
 * @example
 * const { config } = createAppConfig({ connection, sql, media, jwtSecret });
 * const app = await createRuntimeApp(config, {});
 */
export function createAppConfig(options: AppConfigOptions): AppConfig {
	if (!options.jwtSecret) throw new Error('bknd: a JWT secret is required (BKND_JWT_SECRET)');

	const bridge = options.bridge ? new LiveBridge(options.sql, options.bridge) : undefined;
	const appOrigins = options.appOrigins ?? [];
	let built: App | undefined;
	const throttle = new LoginThrottle(
		() => {
			if (!built) throw new Error('bknd: sign-in attempted before the app was built');
			return built.em.connection.kysely;
		},
		options.jwtSecret,
		options.loginThrottle
	);

	const config = code<RuntimeBkndConfig>({
		connection: options.connection,
		// Code mode: the schema below is the truth. `isProduction: false` lets bknd sync it on every boot, and
		// `drop: false` makes that sync ADD tables, columns and indices only: the default (drop: true) deleted a
		// table and a column in our test (docs/bknd.md). Destructive changes go through bknd/migrate.ts on purpose.
		isProduction: false,
		syncSchema: { force: true, drop: false },
		// No admin UI: its assets need bknd/adapter/node, which imports node:sqlite and crashes on Node 20; the
		// Worker serves no static assets either.
		adminOptions: false,
		config: {
			data: schema.toJSON(),
			auth: {
				enabled: true,
				// Not enough on its own (docs/bknd.md hole 1): hardening.ts also refuses the register routes.
				allow_register: false,
				jwt: {
					secret: options.jwtSecret,
					expires: JWT_EXPIRES_SECONDS,
					// session_version: auth/sessions.ts compares it with the user's row on every request; sid: a random
					// id per token (auth/sessionId.ts), so each sign-in is a session of its own.
					fields: ['id', 'email', 'role', 'name', 'client_id', 'partner_id', 'session_version', SESSION_ID_CLAIM]
				},
				// The cookie carries the same JWT; let it live no longer than the token inside it.
				cookie: { expires: JWT_EXPIRES_SECONDS },
				// bknd's default is unsalted SHA-256.
				strategies: { password: { type: 'password', enabled: true, config: { hashing: 'bcrypt', rounds: 10 } } },
				guard: { enabled: true },
				// Media permissions come on top: mediaRules.ts decides per project what the guard cannot.
				roles: withMediaPermissions(ROLE_CONFIG)
			},
			// bknd's default reflects any Origin with credentials; only the app's own (auth/originGate.ts refuses the rest).
			server: { cors: { origin: appOrigins.join(','), allow_credentials: true } },
			// Frame images: the entry's adapter (local folder or R2), behind mediaRules.ts.
			media: {
				enabled: true,
				adapter: options.media,
				storage: { body_max_size: MAX_MEDIA_BYTES }
			}
		},
		options: {
			manager: {
				// Runs before bknd's own routes on every (re)built server. The members route first: it checks its
				// callers itself, and hardening's non-staff allowlist would refuse it (projectMembers.ts).
				onServerInit: (server) => {
					// First: foreign origins, then who the caller is (ended sessions are anonymous), then sign-in limits.
					installOriginGate(server, appOrigins);
					installSessionCheck(server);
					installLoginGate(server, { throttle, serviceSecret: options.serviceSecret });
					installProjectMembers(server);
					// Our own routes check their callers themselves (staff token or the web app's service secret).
					const routes = { serviceSecret: options.serviceSecret };
					installIntakeRoutes(server, routes);
					installBootcampRoutes(server, routes);
					installUserRoutes(server, routes);
					installConvertRoute(server, routes);
					installHardening(server);
					// After hardening: only callers allowed to write reach bknd's bulk routes (bridge/bulkWrites.ts).
					installBulkWrites(server, bridge);
				}
			}
		},
		onBuilt: async (app) => {
			registerDataRules(app);
			await createSubmissionsTable(app);
			await createEndedSessionsTable(app.em.connection.kysely);
			giveEachTokenAnId(app);
			built = app;
			await throttle.createTable();
			// Before the seed, so its writes are heard too.
			await bridge?.attach(app);
			await options.onBuilt?.(app);
		}
	});

	return { config, bridge };
}
