import { z } from 'zod';
import { isServiceBinding, type ServiceBinding } from './backends';

/** Used only outside production, and named so nobody mistakes it for a real secret. 32+ characters, as the rooms require. */
export const DEV_ROOM_TOKEN_SECRET = 'dev-only-insecure-room-token-secret-do-not-deploy';
/** The same for bknd's service routes; equal to bknd/serve.ts's dev default so `npm run bknd` + vite dev work together. */
export const DEV_SERVICE_SECRET = 'fataplus-local-dev-only-service-secret-never-in-production';
/**
 * The intake's Claude model when ANTHROPIC_MODEL is unset: Claude Sonnet 5.5, the model the SDK's own examples
 * use (our @anthropic-ai/sdk lists Sonnet 4.5 as reaching end of life on 2026-11-30). Override per deployment
 * with ANTHROPIC_MODEL.
 */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';

// wrangler passes `--var NAME:` as an empty string: treat empty as unset so defaults apply.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);
const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

const binding = z.custom<ServiceBinding>(isServiceBinding, 'must be a service binding ([[services]] in wrangler.toml), not a variable').optional();

/**
 * Every environment variable of the web worker, declared once. Values come from wrangler's [vars]
 * and secrets (`platform.env`, also emulated by `vite dev` / `vite preview`), else from `process.env`.
 */
const envSchema = z
	.object({
		/** `production` turns on the strict checks (a real ROOM_TOKEN_SECRET, cookies on BASE_DOMAIN). */
		ENVIRONMENT: optional(z.enum(['development', 'production']).default('development')),
		/** bknd's base URL (REST under /api). */
		BKND_URL: optional(httpUrl.default('http://127.0.0.1:1337')),
		/** Public base URL of the rooms worker, as browsers reach it; turned into ws(s):// for room URLs. */
		ROOMS_URL: optional(httpUrl.default('http://localhost:1999')),
		/** The same host as the server reaches it (health checks); defaults to ROOMS_URL. */
		ROOMS_INTERNAL_URL: optional(httpUrl.optional()),
		/** HS256 secret shared with the rooms (party/) to sign room tokens. Required in production. */
		ROOM_TOKEN_SECRET: optional(z.string().min(32, 'ROOM_TOKEN_SECRET must be at least 32 characters').optional()),
		/** The domain whose subdomains are tenants (`fata.plus` in production, `localhost` locally). */
		BASE_DOMAIN: optional(
			z
				.string()
				.regex(/^[a-z0-9.-]+$/, 'BASE_DOMAIN must be a bare domain such as fata.plus')
				.default('localhost')
		),
		/** Shared with bknd (its BKND_SERVICE_SECRET): lets this server create public leads and bootcamp applications. Required in production. */
		BKND_SERVICE_SECRET: optional(z.string().min(32, 'BKND_SERVICE_SECRET must be at least 32 characters').optional()),
		/** Claude for the intake analysis; without a key the offline analyser answers (marked as such). */
		ANTHROPIC_API_KEY: optional(z.string().min(1).optional()),
		/** The Claude model of the intake analysis. */
		ANTHROPIC_MODEL: optional(z.string().min(1).default(DEFAULT_ANTHROPIC_MODEL)),
		/** The Anthropic API's base URL (tests point it at a local server that speaks the same wire format). */
		ANTHROPIC_BASE_URL: optional(httpUrl.optional()),
		/** Service bindings to the bknd and rooms workers (Cloudflare only; `backends.ts` falls back to the URLs). */
		BKND: binding,
		ROOMS: binding
	})
	.superRefine((env, ctx) => {
		if (env.ENVIRONMENT === 'production' && !env.ROOM_TOKEN_SECRET) {
			ctx.addIssue({ code: 'custom', path: ['ROOM_TOKEN_SECRET'], message: 'ROOM_TOKEN_SECRET is required in production (wrangler secret put ROOM_TOKEN_SECRET)' });
		}
		if (env.ENVIRONMENT === 'production' && !env.BKND_SERVICE_SECRET) {
			ctx.addIssue({ code: 'custom', path: ['BKND_SERVICE_SECRET'], message: 'BKND_SERVICE_SECRET is required in production (wrangler secret put BKND_SERVICE_SECRET)' });
		}
	})
	.transform((env) => ({
		ENVIRONMENT: env.ENVIRONMENT,
		BKND_URL: env.BKND_URL,
		ROOMS_URL: env.ROOMS_URL,
		ROOMS_INTERNAL_URL: env.ROOMS_INTERNAL_URL ?? env.ROOMS_URL,
		ROOM_TOKEN_SECRET: env.ROOM_TOKEN_SECRET ?? DEV_ROOM_TOKEN_SECRET,
		BASE_DOMAIN: env.BASE_DOMAIN,
		BKND_SERVICE_SECRET: env.BKND_SERVICE_SECRET ?? DEV_SERVICE_SECRET,
		ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY ?? null,
		ANTHROPIC_MODEL: env.ANTHROPIC_MODEL,
		ANTHROPIC_BASE_URL: env.ANTHROPIC_BASE_URL ?? null,
		BKND: env.BKND ?? null,
		ROOMS: env.ROOMS ?? null
	}));

export type ServerEnv = z.output<typeof envSchema>;
export const ENV_KEYS = [
	'ENVIRONMENT',
	'BKND_URL',
	'ROOMS_URL',
	'ROOMS_INTERNAL_URL',
	'ROOM_TOKEN_SECRET',
	'BASE_DOMAIN',
	'BKND_SERVICE_SECRET',
	'ANTHROPIC_API_KEY',
	'ANTHROPIC_MODEL',
	'ANTHROPIC_BASE_URL'
] as const;
/** The service bindings, read from `platform.env` only: a process variable of the same name is not a binding. */
export const BINDING_KEYS = ['BKND', 'ROOMS'] as const;

/** Parses raw variables; throws one readable error naming every bad variable. */
export function parseEnv(raw: Record<string, unknown>): ServerEnv {
	const picked = Object.fromEntries([...ENV_KEYS, ...BINDING_KEYS].map((key) => [key, raw[key]]));
	const result = envSchema.safeParse(picked);
	if (!result.success) {
		const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`);
		throw new Error(`Invalid web environment: ${problems.join('; ')}`);
	}
	return result.data;
}

const cache = new WeakMap<object, ServerEnv>();

/** The validated environment of this request: `platform.env` first, `process.env` where a variable is absent there. */
export function getEnv(platform: App.Platform | undefined): ServerEnv {
	const platformEnv = platform?.env ?? {};
	const cached = cache.get(platformEnv);
	if (cached) return cached;
	const processEnv: Record<string, unknown> = typeof process !== 'undefined' && process?.env ? process.env : {};
	const raw: Record<string, unknown> = {};
	for (const key of ENV_KEYS) raw[key] = platformEnv[key] ?? processEnv[key];
	for (const key of BINDING_KEYS) raw[key] = platformEnv[key];
	const env = parseEnv(raw);
	cache.set(platformEnv, env);
	return env;
}
