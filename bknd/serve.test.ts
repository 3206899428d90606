import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDbPath } from './testApi';

// bknd/serve.ts as test harnesses run it: a child process whose stdout is parsed for the ready line.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const temp = tempDbPath();

afterAll(() => rmSync(temp.dir, { recursive: true, force: true }));

describe('serve.ts', () => {
	it('SERVE-1 prints exactly one ready line on stdout, answers, and exits 0 on SIGTERM', async () => {
		const child = spawn(process.execPath, [`${ROOT}node_modules/tsx/dist/cli.mjs`, `${ROOT}bknd/serve.ts`], {
			cwd: ROOT,
			env: { ...process.env, BKND_PORT: '0', BKND_DB: temp.dbPath, BKND_JWT_SECRET: 'serve-test-secret', BKND_LOG_LEVEL: 'critical' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		try {
			const url = await new Promise<string>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`no ready line; stdout: ${stdout}`)), 60_000);
				child.stdout.on('data', () => {
					const match = /^bknd ready (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
					if (match) {
						clearTimeout(timer);
						resolve(match[1]!);
					}
				});
				child.on('exit', (code) => reject(new Error(`serve.ts exited ${code} before ready`)));
			});
			const login = await fetch(`${url}/api/auth/password/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email: 'designer@fata.plus', password: 'fataplus-demo' })
			});
			expect(login.status).toBe(200);
		} finally {
			child.kill('SIGTERM');
		}
		expect(await exited).toBe(0);
		expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
	});
});
