import type { Client, InStatement, ResultSet } from '@libsql/client';
import { toStatement, type Sql, type SqlResult, type SqlStatement } from './Sql';

// Sql on a libsql client (Node: a local SQLite file opened by sqliteFile.ts).

function toResult(result: ResultSet): SqlResult {
	// libsql's rows are array-like objects with column getters; copy them so both implementations answer plain objects.
	const rows = result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])));
	return { rows, changes: result.rowsAffected };
}

function toLibsql(statement: SqlStatement | string): InStatement {
	const { sql, args } = toStatement(statement);
	return { sql, args: [...(args ?? [])] };
}

export class LibsqlSql implements Sql {
	constructor(private readonly client: Client) {}

	async execute(statement: SqlStatement | string): Promise<SqlResult> {
		return toResult(await this.client.execute(toLibsql(statement)));
	}

	async batch(statements: readonly SqlStatement[]): Promise<SqlResult[]> {
		if (statements.length === 0) return [];
		const results = await this.client.batch(statements.map(toLibsql), 'write');
		return results.map(toResult);
	}
}
