import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { experimental_readRawConfig, unstable_readConfig } from 'wrangler';

// The routes every Worker of the repository claims on Cloudflare, read with wrangler's own config reader (the
// same resolution `wrangler deploy --env <name>` applies: inherited keys, per-environment names and routes).
// One zone holds every route whatever the wrangler environment, so a pattern claimed by two Workers, even in
// different environments, means one deploy silently takes the other's traffic.

export interface RouteClaim {
	/** The wrangler config, relative to the repository root. */
	config: string;
	/** The wrangler environment (`--env`); null for the top level (local runs). */
	env: string | null;
	/** The Worker's name in that environment. */
	worker: string;
	/** `host/path` as Cloudflare matches it, lower case, without a scheme (a custom domain claims `host/*`). */
	pattern: string;
}

export interface WorkerConfig {
	config: string;
	env: string | null;
	worker: string;
	routes: RouteClaim[];
}

const SKIP = new Set(['node_modules', '.svelte-kit', '.wrangler', '.git', '.data', '.partykit']);

/** Every `wrangler.toml` under `root`, outside dependencies and build output. */
export function findWranglerConfigs(root: string): string[] {
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			if (entry.isDirectory()) {
				if (!SKIP.has(entry.name)) walk(join(dir, entry.name));
			} else if (entry.name === 'wrangler.toml') found.push(join(dir, entry.name));
		}
	};
	walk(root);
	return found.sort();
}

type RawRoute = string | { pattern: string; custom_domain?: boolean };

function normalise(route: RawRoute): string {
	const pattern = (typeof route === 'string' ? route : route.pattern).trim().toLowerCase().replace(/^https?:\/\//, '');
	const customDomain = typeof route !== 'string' && route.custom_domain === true;
	return customDomain || !pattern.includes('/') ? `${pattern.replace(/\/+$/, '')}/*` : pattern;
}

/** The config as `wrangler deploy -c <configPath> [--env <env>]` resolves it (bindings, vars, routes...). */
export type ResolvedConfig = ReturnType<typeof unstable_readConfig>;

export function resolveConfig(configPath: string, env: string | null): ResolvedConfig {
	return unstable_readConfig({ config: configPath, env: env ?? undefined }, { hideWarnings: true });
}

/** The Worker of one config in one environment (null: the top level), with its routes. */
export function readWorker(root: string, configPath: string, env: string | null): WorkerConfig & { resolved: ResolvedConfig } {
	const config = relative(root, configPath);
	const resolved = resolveConfig(configPath, env);
	const worker = resolved.name ?? `(unnamed in ${config}${env ? ` --env ${env}` : ''})`;
	const routes = [...(resolved.routes ?? []), ...(resolved.route ? [resolved.route] : [])] as RawRoute[];
	return { config, env, worker, routes: routes.map((route) => ({ config, env, worker, pattern: normalise(route) })), resolved };
}

/** The Worker of one config in each of its environments (the top level included), with its routes. */
export function readWorkers(root: string, configPath: string): WorkerConfig[] {
	const raw = experimental_readRawConfig({ config: configPath }).rawConfig as { env?: Record<string, unknown> };
	const envs: (string | null)[] = [null, ...Object.keys(raw.env ?? {})];
	return envs.map((env) => readWorker(root, configPath, env));
}

/** Patterns claimed by more than one Worker, with who claims them. */
export function routeCollisions(claims: readonly RouteClaim[]): Map<string, RouteClaim[]> {
	const byPattern = new Map<string, RouteClaim[]>();
	for (const claim of claims) byPattern.set(claim.pattern, [...(byPattern.get(claim.pattern) ?? []), claim]);
	return new Map([...byPattern].filter(([, all]) => new Set(all.map((c) => c.worker)).size > 1));
}

/** The fixed first label of a route's host under `zone` (`bknd` for `bknd.fata.plus/api/*`), or null. */
export function subdomainOf(pattern: string, zone: string): string | null {
	const host = pattern.split('/')[0]!;
	if (!host.endsWith(`.${zone}`)) return null;
	const label = host.slice(0, -(zone.length + 1));
	return label.includes('*') ? null : label;
}
