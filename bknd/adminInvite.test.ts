import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openSqliteFile } from './sqliteFile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUME_LINK_ROUTE, SERVICE_HEADER } from '../shared/publicApi';
import { startTestBknd, tempDbPath, type TestBknd } from './testApi';

// `npm run admin:invite` as an operator runs it (the real script in a child process), then the link it prints
// used through bknd's real consume route (what the web app's /welcome/<token> page calls), then a sign-in.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVICE_SECRET = 'admin-invite-test-service-secret-32-chars';
const LINK = /^http:\/\/localhost:5173\/welcome\/([A-Za-z0-9_-]{43})\n$/;

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

function invite(dbPath: string, ...args: string[]): Promise<Run> {
	const child = spawn(process.execPath, [`${ROOT}node_modules/tsx/dist/cli.mjs`, `${ROOT}scripts/adminInvite.ts`, ...args], {
		cwd: ROOT,
		env: { ...process.env, BKND_DB: dbPath },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));
	return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const tokenOf = (run: Run) => {
	expect(run.code, run.stderr).toBe(0);
	const match = LINK.exec(run.stdout);
	expect(match, run.stdout).not.toBeNull();
	return match![1]!;
};

async function rows(dbPath: string, query: string, args: (string | number)[] = []) {
	const db = openSqliteFile(dbPath);
	try {
		return (await db.execute({ sql: query, args })).rows;
	} finally {
		db.close();
	}
}

describe('admin:invite on a database without demo data', () => {
	const temp = tempDbPath();
	let t: TestBknd;
	let firstToken: string;

	beforeAll(async () => {
		// The command runs first, on a database that does not exist yet (a fresh installation).
		firstToken = tokenOf(await invite(temp.dbPath, '--email', 'Premiere.Admin@Fata.plus', '--name', 'Première Admin'));
		t = await startTestBknd({ dbPath: temp.dbPath, seed: false, serviceSecret: SERVICE_SECRET });
	}, 120_000);

	afterAll(async () => {
		await t?.bknd.close();
		rmSync(temp.dir, { recursive: true, force: true });
	});

	const consume = (token: string, password: string) =>
		fetch(`${t.bknd.url}${CONSUME_LINK_ROUTE}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', [SERVICE_HEADER]: SERVICE_SECRET },
			body: JSON.stringify({ token, password })
		});

	it('ADMIN-INVITE-1: the printed link sets the password once, and the admin signs in with it', async () => {
		// Only the token's SHA-256 is stored, never the token.
		const stored = (await rows(temp.dbPath, 'SELECT token_hash FROM password_links')).map((r) => r.token_hash);
		expect(stored).toEqual([createHash('sha256').update(firstToken).digest('hex')]);
		// Nobody knows the initial password: not even a guess of the demo one works.
		expect((await t.call('POST', '/api/auth/password/login', { body: { email: 'premiere.admin@fata.plus', password: 'fataplus-demo' } })).status).not.toBe(200);

		const used = await consume(firstToken, 'une-phrase-de-passe-longue');
		expect(used.status).toBe(200);
		expect(await used.json()).toMatchObject({ email: 'premiere.admin@fata.plus', name: 'Première Admin' });
		const token = await t.login('premiere.admin@fata.plus', 'une-phrase-de-passe-longue');
		const me = await t.call('GET', '/api/auth/me', { token });
		expect(me.body.user).toMatchObject({ email: 'premiere.admin@fata.plus', role: 'admin' });
		// One-time: the same link cannot set another password.
		expect((await consume(firstToken, 'une-autre-phrase-longue')).status).toBe(410);
	});

	it('ADMIN-INVITE-2: a second run for the same address (any case) makes a new link and no second account', async () => {
		const again = await invite(temp.dbPath, '--email', 'PREMIERE.admin@fata.plus');
		const second = tokenOf(again);
		expect(second).not.toBe(firstToken);
		expect(again.stderr).toMatch(/found admin/);
		const admins = await rows(temp.dbPath, "SELECT id FROM users WHERE lower(email) = 'premiere.admin@fata.plus'");
		expect(admins).toHaveLength(1);
		expect(await rows(temp.dbPath, 'SELECT id FROM users')).toHaveLength(1);
		expect((await consume(second, 'encore-une-phrase-longue')).status).toBe(200);
		await t.login('premiere.admin@fata.plus', 'encore-une-phrase-longue');
	});

	it('ADMIN-INVITE-3: bad input exits 1 with a clear message and writes nothing', async () => {
		const other = tempDbPath();
		try {
			const bad = await invite(other.dbPath, '--email', 'not-an-address');
			expect(bad.code).toBe(1);
			expect(bad.stdout).toBe('');
			expect(bad.stderr).toMatch(/--email must be an email address/);
			expect(existsSync(other.dbPath)).toBe(false);
			const prod = await invite(other.dbPath, '--email', 'a@fata.plus', '--env', 'staging');
			expect(prod.code).toBe(1);
			expect(prod.stderr).toMatch(/--env must be local or production/);
		} finally {
			rmSync(other.dir, { recursive: true, force: true });
		}
	});
});

describe('admin:invite never promotes an existing account', () => {
	it('ADMIN-INVITE-4: an address that belongs to a designer is refused, its role and links unchanged', async () => {
		const t = await startTestBknd({ seed: true });
		try {
			const run = await invite(t.dbPath, '--email', 'designer@fata.plus');
			expect(run.code).toBe(1);
			expect(run.stdout).toBe('');
			expect(run.stderr).toMatch(/already has a designer account/);
			expect(await rows(t.dbPath, "SELECT role FROM users WHERE email = 'designer@fata.plus'")).toEqual([expect.objectContaining({ role: 'designer' })]);
			expect(await rows(t.dbPath, 'SELECT id FROM password_links')).toHaveLength(0);
		} finally {
			await t.stop();
		}
	});
});
