import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkD1Ids, commandLine, DEPLOY_WORKERS, deployPlan, dryRunPlan, parseDeployArgs, USAGE, UsageError, type DeployEnv, type Step } from './lib/deployPlan';
import { ROOT } from './lib/root';
import { ensureWebBuilt } from './lib/webBuild';
import { bindingsOf } from './lib/workerBindings';
import { readWorker } from './wranglerRoutes';

// `npm run deploy -- --env production|staging`: types, web build, D1 migrations, then bknd, the rooms and the
// web, stopping at the first failure. `npm run deploy -- --dry-run [--env …]`: the three bundles built by
// `wrangler deploy --dry-run`, offline, with each Worker's name, routes and bindings. Secrets never pass
// through here: they are set once per worker with `wrangler secret put` (docs/deploy.md).

export interface StepResult {
	code: number;
	output: string;
}

export interface DeployDeps {
	root: string;
	log: (line: string) => void;
	/** Runs one step from `root`; `quiet` captures its output instead of showing it. */
	run: (step: Step, options: { root: string; quiet: boolean; env: Record<string, string> }) => Promise<StepResult>;
	/** Builds the web app when its sources changed (the web worker's bundle starts from that build). */
	buildWeb: () => void;
}

/** Wrangler offline: no request.cf fetch, no metrics (the dry run must work without a network). */
const OFFLINE = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' };

export function runStep(step: Step, { root, quiet, env }: { root: string; quiet: boolean; env: Record<string, string> }): Promise<StepResult> {
	const [command, args] =
		step.tool === 'wrangler' ? [process.execPath, [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), ...step.args]] : ['npm', step.args];
	return new Promise((resolve) => {
		// NODE_ENV=production: under vitest it is `test`, which would build Svelte's development runtime.
		const child = spawn(command, args, { cwd: root, env: { ...process.env, NODE_ENV: 'production', ...env }, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
		let output = '';
		const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
		child.stdout?.on('data', keep);
		child.stderr?.on('data', keep);
		child.once('error', (error) => resolve({ code: 127, output: `${output}\n${error.message}` }));
		child.once('close', (code) => resolve({ code: code ?? 1, output }));
	});
}

const defaults: DeployDeps = { root: ROOT, log: (line) => console.log(line), run: runStep, buildWeb: () => ensureWebBuilt() };

/** Runs `npm run deploy -- <argv>`; resolves with the process exit code. */
export async function main(argv: readonly string[], deps: Partial<DeployDeps> = {}): Promise<number> {
	const { root, log, run, buildWeb } = { ...defaults, ...deps };
	let args;
	try {
		args = parseDeployArgs(argv);
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		log(`deploy: ${error.message}\n${USAGE}`);
		return 2;
	}
	try {
		return args.dryRun ? await dryRun(root, args.env ?? 'production', { log, run, buildWeb }) : await deploy(root, args.env!, { log, run });
	} catch (error) {
		log(`deploy: ${error instanceof Error ? error.message : String(error)}`);
		return 1;
	}
}

async function deploy(root: string, env: DeployEnv, { log, run }: Pick<DeployDeps, 'log' | 'run'>): Promise<number> {
	const steps = deployPlan(root, env);
	// Before anything runs: a deploy that would stop at bknd for want of a database id should not start.
	checkD1Ids(root, env);
	log(`Deploying to ${env}, ${steps.length} steps:`);
	steps.forEach((step, i) => log(`  ${i + 1}. ${step.label}: ${commandLine(step)}`));
	for (const [i, step] of steps.entries()) {
		log(`\n[${i + 1}/${steps.length}] ${step.label}`);
		const { code } = await run(step, { root, quiet: false, env: { WRANGLER_SEND_METRICS: 'false' } });
		if (code !== 0) {
			const skipped = steps.slice(i + 1).map((s) => s.label);
			log(`\ndeploy: step ${i + 1}/${steps.length} failed (${step.label}, exit code ${code}): stopped here.`);
			log(`  Already done: ${steps.slice(0, i).map((s) => s.label).join('; ') || 'nothing'}.`);
			log(`  Not run: ${skipped.join('; ') || 'nothing'}.`);
			return 1;
		}
	}
	log(`\nDeployed to ${env}: bknd, the rooms and the web. Roll back a worker with \`npx wrangler rollback -c <config> --env ${env}\`.`);
	return 0;
}

async function dryRun(root: string, env: DeployEnv, { log, run, buildWeb }: Pick<DeployDeps, 'log' | 'run' | 'buildWeb'>): Promise<number> {
	log(`Dry run of --env ${env}: bundles built locally, nothing sent to Cloudflare.`);
	const outdir = mkdtempSync(join(tmpdir(), 'fp-deploy-dry-run-'));
	try {
		// Configs first (fast, clear message), then the web build the web bundle starts from.
		const steps = dryRunPlan(root, env, outdir);
		buildWeb();
		let failed = 0;
		for (const [i, step] of steps.entries()) {
			const worker = DEPLOY_WORKERS[i]!;
			const { code, output } = await run(step, { root, quiet: true, env: OFFLINE });
			if (code !== 0) {
				failed++;
				log(`\n✗ ${worker.id} (${worker.config}): wrangler deploy --dry-run failed (exit code ${code})\n${output.trim().split('\n').slice(-25).join('\n')}`);
				continue;
			}
			const { worker: name, routes, resolved } = readWorker(root, join(root, worker.config), env);
			log(`\n✓ ${name} (${worker.config} --env ${env}), bundle ${kib(join(outdir, worker.id))} KiB`);
			log(`  routes: ${routes.map((r) => r.pattern).join(', ') || 'none'}`);
			for (const line of bindingsOf(resolved)) log(`  ${line}`);
		}
		if (failed > 0) {
			log(`\ndeploy --dry-run: ${failed} of ${steps.length} bundles failed.`);
			return 1;
		}
		log(`\nAll ${steps.length} bundles built. Deploy with: npm run deploy -- --env ${env}`);
		return 0;
	} finally {
		rmSync(outdir, { recursive: true, force: true });
	}
}

/** The size of a bundle folder without its source maps, in KiB. */
function kib(dir: string): string {
	let bytes = 0;
	const visit = (path: string) => {
		for (const entry of readdirSync(path, { withFileTypes: true })) {
			if (entry.isDirectory()) visit(join(path, entry.name));
			else if (!entry.name.endsWith('.map')) bytes += statSync(join(path, entry.name)).size;
		}
	};
	visit(dir);
	return (bytes / 1024).toFixed(0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.exitCode = await main(process.argv.slice(2));
}
