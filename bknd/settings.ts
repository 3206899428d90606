import { MIN_BRIDGE_SECRET_LENGTH } from '../shared/live/signature';
import { parseOrigins } from './auth/originGate';
import { LOCAL_APP_ORIGINS, PRODUCTION_APP_ORIGINS } from './appConfig';
import { demoSeedWanted, isProduction } from './environment';

// bknd's settings read from its environment, the same way for every entry: the Node CLI (serve.ts reads
// process.env) and the Worker (worker.ts reads its `env`: vars and secrets). Secrets come from the environment
// only: production refuses to start without them; locally fixed dev secrets are used, with a warning.

type Env = Readonly<Record<string, unknown>>;

export const DEV_JWT_SECRET = 'fataplus-local-dev-only-secret-do-not-use-in-production';
export const DEV_BRIDGE_SECRET = 'fataplus-local-dev-only-bridge-secret-never-in-production';
export const DEV_SERVICE_SECRET = 'fataplus-local-dev-only-service-secret-never-in-production';
export const MIN_SERVICE_SECRET_LENGTH = 32;
/** Where the rooms worker listens by default (`npm start`). */
export const DEFAULT_LIVE_ROOMS_URL = 'http://127.0.0.1:1999';
export const LOG_LEVELS = ['critical', 'error', 'warn', 'info', 'log', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface BkndSettings {
	production: boolean;
	jwtSecret: string;
	serviceSecret: string;
	appOrigins: readonly string[];
	/** Seed the demo data (never in production). */
	seed: boolean;
	demoPassword?: string;
	logLevel: LogLevel;
	/** Null when BKND_BRIDGE is off. */
	bridge: { liveRoomsUrl: string; secret: string } | null;
	/** Dev secrets in use: say so once, on stderr / in the log. */
	warnings: string[];
}

/** A setting is missing or wrong: the entry refuses to start, with this message. */
export class SettingsError extends Error {}

const OFF = ['0', 'false', 'off', 'no'];

function text(env: Env, key: string): string | undefined {
	const value = env[key];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * @throws SettingsError with a message fit for an operator (never a secret's value).
 * @example const settings = readSettings(process.env);
 */
export function readSettings(env: Env): BkndSettings {
	const strings = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
	const production = isProduction(strings);
	const warnings: string[] = [];

	const secret = (key: string, dev: string, minLength: number, purpose: string): string => {
		const value = text(env, key);
		if (value) {
			if (value.length < minLength) throw new SettingsError(`${key} must be at least ${minLength} characters.`);
			return value;
		}
		if (production) throw new SettingsError(`${key} is required in production.`);
		warnings.push(`bknd: ${key} is not set; using the local development secret${purpose} (never in production).`);
		return dev;
	};

	const jwtSecret = secret('BKND_JWT_SECRET', DEV_JWT_SECRET, 1, '');
	const serviceSecret = secret('BKND_SERVICE_SECRET', DEV_SERVICE_SECRET, MIN_SERVICE_SECRET_LENGTH, ' for the web app');
	const bridgeOn = !OFF.includes((text(env, 'BKND_BRIDGE') ?? '').toLowerCase());
	const bridge = bridgeOn
		? {
				liveRoomsUrl: text(env, 'LIVE_ROOMS_URL') ?? DEFAULT_LIVE_ROOMS_URL,
				secret: secret('BRIDGE_SECRET', DEV_BRIDGE_SECRET, MIN_BRIDGE_SECRET_LENGTH, ' for live deliveries')
			}
		: null;

	const origins = text(env, 'BKND_APP_ORIGINS');
	const rawLevel = text(env, 'BKND_LOG_LEVEL') ?? 'warn';
	const logLevel = LOG_LEVELS.find((l) => l === rawLevel);
	if (!logLevel) throw new SettingsError(`BKND_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${rawLevel}".`);

	let seed: boolean;
	try {
		seed = demoSeedWanted(strings);
	} catch (error) {
		throw new SettingsError(error instanceof Error ? error.message : String(error));
	}

	return {
		production,
		jwtSecret,
		serviceSecret,
		appOrigins: origins ? parseOrigins(origins) : production ? PRODUCTION_APP_ORIGINS : LOCAL_APP_ORIGINS,
		seed,
		demoPassword: text(env, 'DEMO_PASSWORD'),
		logLevel,
		bridge,
		warnings
	};
}
