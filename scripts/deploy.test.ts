import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, runStep, type DeployDeps } from './deploy';
import { commandLine, deployPlan, type Step } from './lib/deployPlan';
import { ROOT } from './lib/root';

// `npm run deploy`: what must hold is what an operator would notice. A real deploy runs types, build, D1
// migrations, then bknd, rooms and web in that order, and stops at the first failure; it never guesses the
// environment and never runs a config that lacks it; the dry run fails loudly when a bundle does not build.
// These run on a small repository of three Workers in a temp folder (the real repository's dry run, which
// needs the web build, is tests/integration/deployDryRun.test.ts). Nothing here calls Cloudflare: the real
// deploy's commands are recorded, not run.

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

const WORKER = 'export default { fetch() { return new Response("ok"); } };\n';

function workerConfig(name: string, { main = 'index.js', envs = ['production', 'staging'], extra = '' } = {}): string {
	const sections = envs.map((env) => `[env.${env}]\nname = "${name}-${env}"\nroutes = [{ pattern = "${name}-${env}.example.test/*", zone_name = "example.test" }]\n${extra.replaceAll('ENV', env)}`);
	return `name = "${name}-dev"\nmain = "${main}"\ncompatibility_date = "2026-05-01"\n${extra.replaceAll('env.ENV.', '').replaceAll('ENV', 'dev')}\n${sections.join('\n')}`;
}

const D1 = `[[env.ENV.d1_databases]]\nbinding = "DB"\ndatabase_name = "fataplus-ENV"\ndatabase_id = "3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0d"\n`;

/** A repository with the three Worker configs where deploy.ts looks for them. */
function fakeRepo({ bknd = workerConfig('bknd', { extra: D1 }), rooms = workerConfig('rooms'), web = workerConfig('web'), migrations = true } = {}): string {
	const root = mkdtempSync(join(tmpdir(), 'fp-deploy-test-'));
	roots.push(root);
	for (const [dir, config] of [['bknd', bknd], ['party', rooms], ['.', web]] as const) {
		mkdirSync(join(root, dir), { recursive: true });
		writeFileSync(join(root, dir, 'wrangler.toml'), config);
		writeFileSync(join(root, dir, 'index.js'), WORKER);
	}
	if (migrations) mkdirSync(join(root, 'bknd/migrations'));
	return root;
}

/** Runs `main` with the commands recorded (and answered by `exitCodes`, 0 by default) instead of run. */
async function recorded(argv: string[], root: string, exitCodes: Record<string, number> = {}) {
	const lines: string[] = [];
	const ran: Step[] = [];
	const run: DeployDeps['run'] = async (step) => {
		ran.push(step);
		return { code: exitCodes[commandLine(step)] ?? 0, output: '' };
	};
	const code = await main(argv, { root, run, log: (line) => lines.push(line), buildWeb: () => {} });
	return { code, ran: ran.map(commandLine), output: lines.join('\n') };
}

describe('npm run deploy: the real deploy (commands recorded, not run)', () => {
	it('DEPLOY-ORDER-1: types, build, D1 migrations, then bknd, rooms and web, all with the chosen --env', async () => {
		for (const env of ['production', 'staging']) {
			const { code, ran } = await recorded(['--env', env], fakeRepo());
			expect(code).toBe(0);
			expect(ran).toEqual([
				'npm run check',
				'npm run build',
				`wrangler d1 migrations apply fataplus-${env} --remote --env ${env} -c bknd/wrangler.toml`,
				`wrangler deploy -c bknd/wrangler.toml --env ${env}`,
				`wrangler deploy -c party/wrangler.toml --env ${env}`,
				`wrangler deploy -c wrangler.toml --env ${env}`
			]);
		}
	});

	it('DEPLOY-ORDER-2: without a bknd migrations folder there is no D1 step (bknd syncs its schema itself)', async () => {
		const { code, ran } = await recorded(['--env=staging'], fakeRepo({ migrations: false }));
		expect(code).toBe(0);
		expect(ran.some((command) => command.includes('d1 migrations'))).toBe(false);
		expect(ran.at(-3)).toBe('wrangler deploy -c bknd/wrangler.toml --env staging');
	});

	it('DEPLOY-STOP-1: the first failing step stops the deploy with a message naming it; nothing after it runs', async () => {
		const { code, ran, output } = await recorded(['--env', 'production'], fakeRepo(), { 'wrangler deploy -c party/wrangler.toml --env production': 1 });
		expect(code).toBe(1);
		expect(ran.at(-1)).toBe('wrangler deploy -c party/wrangler.toml --env production');
		expect(ran).not.toContain('wrangler deploy -c wrangler.toml --env production');
		expect(output).toMatch(/step 5\/6 failed \(deploy rooms-production \(rooms, production\), exit code 1\): stopped here/);
		expect(output).toMatch(/Not run: deploy web-production/);
	});

	it('DEPLOY-ARGS-1: no --env, an unknown --env or an unknown flag is refused before anything runs (no default to production)', async () => {
		for (const argv of [[], ['--env'], ['--env', 'prod'], ['--env', 'production', '--force'], ['--yes']]) {
			const { code, ran, output } = await recorded(argv, fakeRepo());
			expect(code, argv.join(' ')).toBe(2);
			expect(ran).toEqual([]);
			expect(output).toMatch(/usage: npm run deploy/);
		}
	});

	it('DEPLOY-ENV-1: a config without [env.<env>] is refused before anything runs (wrangler would deploy its local settings)', async () => {
		const { code, ran, output } = await recorded(['--env', 'staging'], fakeRepo({ rooms: workerConfig('rooms', { envs: ['production'] }) }));
		expect(code).toBe(1);
		expect(ran).toEqual([]);
		expect(output).toMatch(/party\/wrangler.toml has no \[env.staging\]/);
	});

	it('DEPLOY-D1-1: a placeholder D1 database id (bknd/wrangler.toml before `wrangler d1 create`) is refused before anything runs', async () => {
		for (const id of ['REPLACE_WITH_D1_ID', '00000000-0000-0000-0000-000000000000']) {
			const bknd = workerConfig('bknd', { extra: D1.replace(/database_id = ".*"/, `database_id = "${id}"`) });
			const { code, ran, output } = await recorded(['--env', 'production'], fakeRepo({ bknd }));
			expect(code).toBe(1);
			expect(ran).toEqual([]);
			expect(output).toMatch(/D1 database fataplus-production has no real database_id .*wrangler d1 create fataplus-production/);
		}
	});

	it("DEPLOY-PLAN-1: this repository's plan deploys fataplus-bknd, fataplus-rooms, then fataplus-crm (and their -staging twins)", () => {
		const deploys = (env: 'production' | 'staging') =>
			deployPlan(ROOT, env)
				.filter((step) => step.args[0] === 'deploy')
				.map((step) => step.label.split(' ')[1]);
		expect(deploys('production')).toEqual(['fataplus-bknd', 'fataplus-rooms', 'fataplus-crm']);
		expect(deploys('staging')).toEqual(['fataplus-bknd-staging', 'fataplus-rooms-staging', 'fataplus-crm-staging']);
	});

	it('DEPLOY-SECRETS-1: no command line carries a secret or a --var (secrets are set with wrangler secret put)', async () => {
		const { ran } = await recorded(['--env', 'production'], fakeRepo());
		expect(ran.filter((command) => /--var|secret|SECRET|--password/i.test(command))).toEqual([]);
	});
});

describe('npm run deploy -- --dry-run (real wrangler, offline)', () => {
	const dryRun = async (root: string, argv: string[] = ['--dry-run']) => {
		const lines: string[] = [];
		const code = await main(argv, { root, run: runStep, log: (line) => lines.push(line), buildWeb: () => {} });
		return { code, output: lines.join('\n') };
	};

	it('DEPLOY-DRY-2: a Worker that does not bundle makes the dry run exit 1 and says which; the others are still reported', async () => {
		const { code, output } = await dryRun(fakeRepo({ rooms: workerConfig('rooms', { main: 'missing.js' }) }));
		expect(code).toBe(1);
		expect(output).toMatch(/✗ rooms \(party\/wrangler.toml\): wrangler deploy --dry-run failed/);
		expect(output).toMatch(/✓ bknd-production .*\n {2}routes: bknd-production.example.test\/\*\n {2}DB: D1 database → fataplus-production/);
		expect(output).toMatch(/✓ web-production/);
		expect(output).toMatch(/1 of 3 bundles failed/);
	}, 60_000);

	it('DEPLOY-DRY-3: the dry run reads the environment asked for', async () => {
		const { code, output } = await dryRun(fakeRepo(), ['--dry-run', '--env', 'staging']);
		expect(code).toBe(0);
		expect(output).toMatch(/✓ rooms-staging \(party\/wrangler.toml --env staging\)/);
		expect(output).toMatch(/routes: web-staging.example.test\/\*/);
	}, 60_000);
});
