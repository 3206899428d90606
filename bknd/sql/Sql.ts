// The one narrow SQL interface that our own modules (the live bridge's outbox, sweeper and delete intents) use
// beside bknd's connection. Two implementations: libsql on a local file (Node: `npm start`, the tests, the
// admin tools) and D1 (the Worker). Only what both do the same way is here: no interactive transactions
// (D1 has none), so anything that must be atomic is one statement or one `batch`.

export type SqlValue = string | number | bigint | null | Uint8Array;

export interface SqlStatement {
	sql: string;
	args?: readonly SqlValue[];
}

export interface SqlResult {
	/** Result rows as plain objects keyed by column name (empty for writes without RETURNING). */
	rows: Record<string, unknown>[];
	/** Rows inserted, updated or deleted by the statement (0 for reads). */
	changes: number;
}

export interface Sql {
	execute(statement: SqlStatement | string): Promise<SqlResult>;
	/** Runs every statement in one transaction: all of them or none. Results in the statements' order. */
	batch(statements: readonly SqlStatement[]): Promise<SqlResult[]>;
}

/** `'SELECT 1'` and `{ sql: 'SELECT 1' }` are the same statement. */
export function toStatement(statement: SqlStatement | string): SqlStatement {
	return typeof statement === 'string' ? { sql: statement } : statement;
}
