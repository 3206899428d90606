import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getPlatformProxy } from 'wrangler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteFile } from '../sqliteFile';
import { D1Sql, type D1Database } from './d1Sql';
import { LibsqlSql } from './libsqlSql';
import type { Sql } from './Sql';

// One contract for both implementations of Sql: libsql on a temp file (Node) and a real local D1 (the same
// workerd D1 that `wrangler dev` runs, reached from Node through wrangler's getPlatformProxy).

const CONFIG = fileURLToPath(new URL('../wrangler.toml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fp-sql-'));
const closers: (() => Promise<void> | void)[] = [];

const implementations: { name: string; open: () => Promise<Sql> }[] = [
	{
		name: 'libsql',
		open: async () => {
			const client = openSqliteFile(join(dir, 'contract.sqlite'));
			closers.push(() => client.close());
			return new LibsqlSql(client);
		}
	},
	{
		name: 'D1',
		open: async () => {
			const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath: CONFIG, persist: { path: join(dir, 'd1') } });
			closers.push(() => proxy.dispose());
			return new D1Sql(proxy.env.DB);
		}
	}
];

afterAll(async () => {
	for (const close of closers) await close();
	rmSync(dir, { recursive: true, force: true });
});

describe.each(implementations)('SQL-CONTRACT on $name', ({ open }) => {
	let db: Sql;
	beforeAll(async () => {
		db = await open();
		await db.execute('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY AUTOINCREMENT, k TEXT UNIQUE NOT NULL, n INTEGER)');
	});

	it('SQL-CONTRACT-1: execute answers rows as plain objects by column name, and changes for writes', async () => {
		const insert = await db.execute({ sql: 'INSERT INTO t (k, n) VALUES (?, ?), (?, ?)', args: ['a', 1, 'b', 2] });
		expect(insert.changes).toBe(2);
		const { rows, changes } = await db.execute({ sql: 'SELECT k, n FROM t WHERE n >= ? ORDER BY n', args: [1] });
		expect(rows).toEqual([
			{ k: 'a', n: 1 },
			{ k: 'b', n: 2 }
		]);
		expect(changes).toBe(0);
		expect((await db.execute({ sql: 'SELECT k FROM t WHERE k = ?', args: ['none'] })).rows).toEqual([]);
	});

	it('SQL-CONTRACT-2: INSERT OR IGNORE reports 0 changes for a duplicate, RETURNING answers the written row', async () => {
		expect((await db.execute({ sql: 'INSERT OR IGNORE INTO t (k, n) VALUES (?, ?)', args: ['a', 9] })).changes).toBe(0);
		const returned = await db.execute({ sql: 'UPDATE t SET n = n + 10 WHERE k = ? RETURNING n', args: ['b'] });
		expect(returned.rows).toEqual([{ n: 12 }]);
		expect(returned.changes).toBe(1);
	});

	it('SQL-CONTRACT-3: batch is atomic: one failing statement leaves nothing of the others', async () => {
		await expect(
			db.batch([
				{ sql: 'INSERT INTO t (k, n) VALUES (?, ?)', args: ['c', 3] },
				{ sql: 'INSERT INTO t (k, n) VALUES (?, ?)', args: ['a', 4] } // duplicate k: fails
			])
		).rejects.toThrow();
		expect((await db.execute({ sql: 'SELECT COUNT(*) AS n FROM t WHERE k = ?', args: ['c'] })).rows[0]).toEqual({ n: 0 });
	});

	it('SQL-CONTRACT-4: batch answers each statement\'s result in order', async () => {
		const results = await db.batch([
			{ sql: 'INSERT OR IGNORE INTO t (k, n) VALUES (?, ?)', args: ['d', 5] },
			{ sql: 'INSERT OR IGNORE INTO t (k, n) VALUES (?, ?)', args: ['a', 5] },
			{ sql: 'SELECT n FROM t WHERE k = ?', args: ['d'] }
		]);
		expect(results.map((r) => r.changes)).toEqual([1, 0, 0]);
		expect(results[2]!.rows).toEqual([{ n: 5 }]);
		expect(await db.batch([])).toEqual([]);
	});
});
