import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openSqliteFile } from './sqliteFile';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from './seed';
import { tempDbPath } from './testApi';

// bknd/serve.ts as test harnesses run it: a child process whose stdout is parsed for the ready line.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const temps: { dir: string; dbPath: string }[] = [];
const newTemp = () => {
	const temp = tempDbPath();
	temps.push(temp);
	return temp;
};

afterAll(() => {
	for (const temp of temps) rmSync(temp.dir, { recursive: true, force: true });
});

/** Secrets that production requires, so a production start gets as far as the seed decision. */
const PRODUCTION_SECRETS = {
	BKND_JWT_SECRET: 'serve-test-production-jwt-secret',
	BRIDGE_SECRET: 'serve-test-production-bridge-secret-32+',
	BKND_SERVICE_SECRET: 'serve-test-production-service-secret-32+'
};

interface Served {
	/** The ready line's URL, or null when the process exited first. */
	url: string | null;
	stdout: () => string;
	stderr: () => string;
	exited: Promise<number | null>;
	stop(): Promise<number | null>;
}

/** Spawns serve.ts (as node + tsx, so a signal reaches bknd itself) and waits for its ready line or its exit. */
async function serve(env: Record<string, string | undefined>): Promise<Served> {
	const child = spawn(process.execPath, [`${ROOT}node_modules/tsx/dist/cli.mjs`, `${ROOT}bknd/serve.ts`], {
		cwd: ROOT,
		env: { ...process.env, NODE_ENV: undefined, ENVIRONMENT: undefined, BKND_SEED: undefined, BKND_PORT: '0', BKND_LOG_LEVEL: 'critical', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const url = await new Promise<string | null>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no ready line; stdout: ${stdout}; stderr: ${stderr}`)), 60_000);
		child.stdout.on('data', () => {
			const match = /^bknd ready (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]!);
			}
		});
		void exited.then(() => {
			clearTimeout(timer);
			resolve(null);
		});
	});
	return {
		url,
		stdout: () => stdout,
		stderr: () => stderr,
		exited,
		stop: () => {
			child.kill('SIGTERM');
			return exited;
		}
	};
}

async function userEmails(dbPath: string): Promise<string[]> {
	const db = openSqliteFile(dbPath);
	try {
		return (await db.execute('SELECT email FROM users')).rows.map((row) => String(row.email));
	} finally {
		db.close();
	}
}

describe('serve.ts', () => {
	it('SERVE-1 prints exactly one ready line on stdout, answers, and exits 0 on SIGTERM', async () => {
		const temp = newTemp();
		const served = await serve({ BKND_DB: temp.dbPath, BKND_JWT_SECRET: 'serve-test-secret' });
		try {
			expect(served.url, served.stderr()).not.toBeNull();
			const login = await fetch(`${served.url}/api/auth/password/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email: 'designer@fata.plus', password: 'fataplus-demo' })
			});
			expect(login.status).toBe(200);
		} finally {
			expect(await served.stop()).toBe(0);
		}
		expect(served.stdout().split('\n').filter(Boolean)).toHaveLength(1);
	});

	it.each([{ ENVIRONMENT: 'production' }, { NODE_ENV: 'production' }])(
		'NO-SEED-PROD-1: in production (%o) bknd starts without the demo seed: no demo account exists and none signs in',
		async (production) => {
			const temp = newTemp();
			const served = await serve({ ...PRODUCTION_SECRETS, ...production, BKND_DB: temp.dbPath });
			try {
				expect(served.url, served.stderr()).not.toBeNull();
				const login = await fetch(`${served.url}/api/auth/password/login`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', origin: 'https://fata.plus' },
					body: JSON.stringify({ email: 'admin@fata.plus', password: 'fataplus-demo' })
				});
				expect(login.status).not.toBe(200);
			} finally {
				expect(await served.stop()).toBe(0);
			}
			const emails = await userEmails(temp.dbPath);
			for (const demo of DEMO_USERS) expect(emails).not.toContain(demo.email);
		}
	);

	it.each(['1', 'true'])('NO-SEED-PROD-2: in production BKND_SEED=%s is refused: exit 1 with a clear error, no database written', async (value) => {
		const temp = newTemp();
		const served = await serve({ ...PRODUCTION_SECRETS, ENVIRONMENT: 'production', BKND_SEED: value, BKND_DB: temp.dbPath });
		expect(served.url).toBeNull();
		expect(await served.exited).toBe(1);
		expect(served.stderr()).toMatch(/BKND_SEED is refused in production/);
		expect(served.stderr()).toMatch(/admin:invite/);
		expect(existsSync(temp.dbPath)).toBe(false);
	});
});
