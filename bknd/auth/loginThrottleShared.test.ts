import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libsql } from 'bknd';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteFile } from '../sqliteFile';
import { LOGIN_THROTTLE, LoginThrottle } from './loginThrottle';

// The throttle when several processes share one database: Worker isolates on one D1, or two Node processes on
// one file. Its check-and-count is one statement, so a parallel burst split between two throttles (no shared
// memory) still gets exactly the free failures through. (bknd's D1 connection cannot be built in Node: its
// adapter imports node:sqlite; the same statement runs on real local D1 in tests/integration/bkndWorker.test.ts.)

const dir = mkdtempSync(join(tmpdir(), 'fp-throttle-'));
const closers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
	for (const close of closers) await close();
	rmSync(dir, { recursive: true, force: true });
});

const databases: { name: string; open: () => Promise<Kysely<any>> }[] = [
	{
		name: 'libsql',
		open: async () => {
			const client = openSqliteFile(join(dir, 'throttle.sqlite'));
			closers.push(() => client.close());
			return libsql(client).kysely as Kysely<any>;
		}
	}
];

describe.each(databases)('sign-in throttle shared by two processes on $name', ({ open }) => {
	it('THROTTLE-7: a burst of 20 parallel wrong attempts on one account, split between two throttles, lets exactly 5 through', async () => {
		const db = await open();
		const [a, b] = [new LoginThrottle(() => db, 'secret'), new LoginThrottle(() => db, 'secret')];
		await a.createTable();
		const now = Date.now();
		const verdicts = await Promise.all(
			Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).begin('victim@fata.plus', `203.0.113.${i}`, now))
		);
		expect(verdicts.filter((v) => v.ok)).toHaveLength(LOGIN_THROTTLE.account.freeFailures);
		const refused = verdicts.find((v) => !v.ok);
		expect(refused).toEqual({ ok: false, retryAfterSeconds: LOGIN_THROTTLE.account.firstLockMs / 1000 });
	});
});
