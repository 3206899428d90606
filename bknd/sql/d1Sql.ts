import { toStatement, type Sql, type SqlResult, type SqlStatement } from './Sql';

// Sql on a D1 binding (the Worker). D1's `batch` runs its statements as one transaction (rolled back as a
// whole if one fails), which is what Sql.batch promises. D1 has no interactive transaction.

// The part of D1's binding used here, spelled out so Node-side code (the contract tests) type-checks without
// the Workers globals.
interface D1Result {
	results?: unknown[];
	meta?: { changes?: number };
}
interface D1PreparedStatement {
	bind(...values: unknown[]): D1PreparedStatement;
	all(): Promise<D1Result>;
}
export interface D1Database {
	prepare(sql: string): D1PreparedStatement;
	batch(statements: D1PreparedStatement[]): Promise<D1Result[]>;
}

function toResult(result: D1Result): SqlResult {
	return { rows: (result.results ?? []) as Record<string, unknown>[], changes: Number(result.meta?.changes ?? 0) };
}

export class D1Sql implements Sql {
	constructor(private readonly db: D1Database) {}

	private prepare(statement: SqlStatement | string): D1PreparedStatement {
		const { sql, args } = toStatement(statement);
		const prepared = this.db.prepare(sql);
		return args && args.length > 0 ? prepared.bind(...args.map((v) => (typeof v === 'bigint' ? Number(v) : v))) : prepared;
	}

	async execute(statement: SqlStatement | string): Promise<SqlResult> {
		return toResult(await this.prepare(statement).all());
	}

	async batch(statements: readonly SqlStatement[]): Promise<SqlResult[]> {
		if (statements.length === 0) return [];
		const results = await this.db.batch(statements.map((s) => this.prepare(s)));
		return results.map(toResult);
	}
}
