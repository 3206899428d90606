import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DEMO_PASSWORD } from './seed';
import { startBknd, type RunningBknd, type StartBkndOptions } from './server';

// Helpers for the integration tests: a real bknd on a temp SQLite file and a free port, spoken to over
// real HTTP with plain fetch (no SDK), as the web app and any attacker would.

export const TEST_JWT_SECRET = 'bknd-test-secret';

export interface ApiResponse<T = any> {
	status: number;
	body: T;
	text: string;
}

export interface TestBknd {
	bknd: RunningBknd;
	dir: string;
	dbPath: string;
	/** Sends one request; `query` values that are objects are sent as JSON (like `where`). */
	call<T = any>(method: string, path: string, opts?: { token?: string; query?: Record<string, unknown>; body?: unknown }): Promise<ApiResponse<T>>;
	/** Logs in with the password strategy and returns the token (throws unless 200). */
	login(email: string, password?: string): Promise<string>;
	/** Stops the server; `keepFiles` leaves the database for a restart. */
	stop(keepFiles?: boolean): Promise<void>;
}

/** A fresh temp folder for a database file. */
export function tempDbPath(): { dir: string; dbPath: string } {
	const dir = mkdtempSync(join(tmpdir(), 'bknd-test-'));
	return { dir, dbPath: join(dir, 'bknd.sqlite') };
}

/** Boots bknd (seeded) on `dbPath` (default: a new temp file) and a free port. */
export async function startTestBknd(opts: Partial<StartBkndOptions> = {}): Promise<TestBknd> {
	const temp = opts.dbPath ? { dir: '', dbPath: opts.dbPath } : tempDbPath();
	const bknd = await startBknd({ port: 0, jwtSecret: TEST_JWT_SECRET, logLevel: 'critical', ...opts, dbPath: temp.dbPath });

	const call: TestBknd['call'] = async (method, path, { token, query, body } = {}) => {
		const url = new URL(bknd.url + path);
		for (const [key, value] of Object.entries(query ?? {})) {
			url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
		}
		const res = await fetch(url, {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(token ? { authorization: `Bearer ${token}` } : {})
			},
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON (e.g. hono's plain 404)
		}
		return { status: res.status, body: parsed as any, text };
	};

	return {
		bknd,
		dir: temp.dir,
		dbPath: temp.dbPath,
		call,
		login: async (email, password = DEFAULT_DEMO_PASSWORD) => {
			const res = await call('POST', '/api/auth/password/login', { body: { email, password } });
			if (res.status !== 200) throw new Error(`login ${email} answered ${res.status}: ${res.text}`);
			return res.body.token as string;
		},
		stop: async (keepFiles = false) => {
			await bknd.close();
			if (!keepFiles && temp.dir) rmSync(temp.dir, { recursive: true, force: true });
		}
	};
}

/** The claims of a JWT, unverified (tests only). */
export function jwtClaims(token: string): Record<string, unknown> {
	const payload = token.split('.')[1] ?? '';
	return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}
