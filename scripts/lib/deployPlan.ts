import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { experimental_readRawConfig } from 'wrangler';
import { readWorker, resolveConfig } from '../wranglerRoutes';

/**
 * What `npm run deploy` runs, as data: the parsing of its flags and the ordered commands, so the order and the
 * refusals are tested without calling Cloudflare (scripts/deploy.test.ts). scripts/deploy.ts only runs them.
 */

export const DEPLOY_ENVS = ['production', 'staging'] as const;
export type DeployEnv = (typeof DEPLOY_ENVS)[number];

/** The three Workers, in deploy order: bknd first (the rooms and the web call it), then the rooms, then the web. */
export const DEPLOY_WORKERS = [
	{ id: 'bknd', config: 'bknd/wrangler.toml' },
	{ id: 'rooms', config: 'party/wrangler.toml' },
	{ id: 'web', config: 'wrangler.toml' }
] as const;

export const USAGE = 'usage: npm run deploy -- --env production|staging   or   npm run deploy -- --dry-run [--env production|staging]';

export class UsageError extends Error {}

export interface DeployArgs {
	/** Null only for a dry run without --env (which then reads the production environment). */
	env: DeployEnv | null;
	dryRun: boolean;
}

/** Parses `npm run deploy -- …`; unknown flags, a bad or missing --env for a real deploy are refused. */
export function parseDeployArgs(argv: readonly string[]): DeployArgs {
	let env: DeployEnv | null = null;
	let dryRun = false;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		const [flag, inline] = arg.startsWith('--env=') ? ['--env', arg.slice('--env='.length)] : [arg, undefined];
		if (flag === '--dry-run') dryRun = true;
		else if (flag === '--env') {
			const value = inline ?? argv[++i];
			if (!DEPLOY_ENVS.includes(value as DeployEnv)) throw new UsageError(`--env must be one of ${DEPLOY_ENVS.join(', ')} (got ${value === undefined ? 'nothing' : `"${value}"`})`);
			env = value as DeployEnv;
		} else throw new UsageError(`unknown argument "${arg}"`);
	}
	// No silent default: a real deploy names its environment.
	if (!dryRun && env === null) throw new UsageError('a deploy needs --env production or --env staging');
	return { env, dryRun };
}

export interface Step {
	/** What the step does, for progress and failure messages. */
	label: string;
	/** Run from the repository root: `npm …` or `wrangler …` (wrangler from node_modules). */
	tool: 'npm' | 'wrangler';
	args: string[];
}

/** `npm run check` etc. as a person would type it. */
export function commandLine(step: Step): string {
	return [step.tool, ...step.args].join(' ');
}

/**
 * Refuses a config without `[env.<env>]`: wrangler would then deploy its top level (the local settings, under the
 * local name) with no more than a warning.
 */
export function checkEnvironments(root: string, env: DeployEnv): void {
	for (const worker of DEPLOY_WORKERS) {
		const path = join(root, worker.config);
		if (!existsSync(path)) throw new Error(`${worker.config} is missing: the ${worker.id} worker cannot be deployed`);
		const raw = experimental_readRawConfig({ config: path }).rawConfig as { env?: Record<string, unknown> };
		if (!raw.env?.[env]) throw new Error(`${worker.config} has no [env.${env}]: wrangler would deploy its local settings instead`);
	}
}

const D1_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Refuses a real deploy while bknd's D1 database id for `env` is a placeholder (bknd/wrangler.toml ships
 * `REPLACE_WITH_D1_ID` until `wrangler d1 create` gives the real one; the all-zero id is the local one).
 */
export function checkD1Ids(root: string, env: DeployEnv): void {
	const config = DEPLOY_WORKERS[0].config;
	for (const database of resolveConfig(join(root, config), env).d1_databases ?? []) {
		const id = database.database_id ?? '';
		if (!D1_ID.test(id) || /^0{8}-0{4}/.test(id)) {
			throw new Error(`${config} [env.${env}]: D1 database ${database.database_name ?? database.binding} has no real database_id ("${id}"): run \`npx wrangler d1 create ${database.database_name ?? '<name>'}\` and put its id there (docs/deploy.md)`);
		}
	}
}

/**
 * The D1 migrations step, when bknd's config for `env` binds a D1 database whose migrations folder exists
 * (`migrations_dir`, default `migrations`, beside the config). Null otherwise: bknd then syncs its schema itself.
 */
export function d1MigrationsStep(root: string, env: DeployEnv): Step | null {
	const bknd = DEPLOY_WORKERS[0];
	const path = join(root, bknd.config);
	const database = resolveConfig(path, env).d1_databases?.[0];
	if (!database) return null;
	if (!existsSync(join(dirname(path), database.migrations_dir ?? 'migrations'))) return null;
	const name = database.database_name ?? database.binding;
	return {
		label: `apply D1 migrations to ${name} (${env})`,
		tool: 'wrangler',
		args: ['d1', 'migrations', 'apply', name, '--remote', '--env', env, '-c', bknd.config]
	};
}

/** A real deploy: types, the web build, D1 migrations, then bknd, the rooms and the web, in that order. */
export function deployPlan(root: string, env: DeployEnv): Step[] {
	checkEnvironments(root, env);
	const migrations = d1MigrationsStep(root, env);
	return [
		{ label: 'check types', tool: 'npm', args: ['run', 'check'] },
		{ label: 'build the web app', tool: 'npm', args: ['run', 'build'] },
		...(migrations ? [migrations] : []),
		...DEPLOY_WORKERS.map((worker): Step => ({
			label: `deploy ${readWorker(root, join(root, worker.config), env).worker} (${worker.id}, ${env})`,
			tool: 'wrangler',
			args: ['deploy', '-c', worker.config, '--env', env]
		}))
	];
}

/** The dry run: each Worker bundled by `wrangler deploy --dry-run` into `outdir/<id>`, nothing sent anywhere. */
export function dryRunPlan(root: string, env: DeployEnv, outdir: string): Step[] {
	checkEnvironments(root, env);
	return DEPLOY_WORKERS.map((worker) => ({
		label: `bundle ${worker.id} (${env}, dry run)`,
		tool: 'wrangler',
		args: ['deploy', '--dry-run', '--outdir', join(outdir, worker.id), '-c', worker.config, '--env', env]
	}));
}
