import type { Client, InStatement, ResultSet } from '@libsql/client';
import { toStatement, type Sql, type SqlResult, type SqlStatement } from './Sql';

// Sql on a libsql client (Node: a local SQLite file opened by sqliteFile.ts).

const WRITE = /^\s*(insert|update|delete|replace)\b/i;

function toResult(sql: string, result: ResultSet): SqlResult {
	// libsql's rows are array-like objects with column getters; copy them so both implementations answer plain objects.
	const rows = result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])));
	// libsql reports 0 changes for a write with RETURNING (D1 reports them): each returned row is a changed row.
	const changes = result.rowsAffected === 0 && rows.length > 0 && WRITE.test(sql) ? rows.length : result.rowsAffected;
	return { rows, changes };
}

function toLibsql(statement: SqlStatement | string): InStatement & { sql: string } {
	const { sql, args } = toStatement(statement);
	return { sql, args: [...(args ?? [])] };
}

export class LibsqlSql implements Sql {
	constructor(private readonly client: Client) {}

	async execute(statement: SqlStatement | string): Promise<SqlResult> {
		const prepared = toLibsql(statement);
		return toResult(prepared.sql, await this.client.execute(prepared));
	}

	async batch(statements: readonly SqlStatement[]): Promise<SqlResult[]> {
		if (statements.length === 0) return [];
		const prepared = statements.map(toLibsql);
		const results = await this.client.batch(prepared, 'write');
		return results.map((result, i) => toResult(prepared[i]!.sql, result));
	}
}
