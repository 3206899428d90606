import { createHmac } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';

// Sign-in throttling (password login), per account and per client address, kept in bknd's database: the web
// worker runs in many Cloudflare isolates, and a count kept in one of them would limit nobody. Each attempt is
// counted as a failure BEFORE the password is checked (so a burst of parallel guesses cannot all slip in ahead of
// the first recorded failure) and given back when the password was right. Once an account (or an address) has
// used its free failures, every further attempt is refused without checking the password, until a lock that
// doubles with each failure (1 min, 2, 4, 8, then 15 at most) has passed: the right password is refused too
// while locked, so guessing through the lock is pointless. A success clears the account's counter.
// Keys are HMACs (of the normalised email, of the address) under the JWT secret: the table holds no email and
// no IP. Its name contains "bknd", so bknd's schema sync leaves it alone (see bridge/bridgeTables.ts).
// The check and the count are one SQL statement, so any number of processes or Worker isolates may share the
// database: D1 has no interactive transactions, and a read-then-write would let a parallel burst slip in.

export const LOGIN_THROTTLE_TABLE = 'bknd_login_throttle';

export interface ThrottleRule {
	/** Failures allowed before the first lock. */
	freeFailures: number;
	/** The counter is forgotten this long after the last failure or the end of the lock, whichever is later. */
	windowMs: number;
	/** The lock after the last free failure; each further failure doubles it. */
	firstLockMs: number;
	maxLockMs: number;
}

export interface ThrottleRules {
	/** Per account (email, trimmed and lower-cased): a person mistyping a few times is never locked. */
	account: ThrottleRule;
	/** Per address: a larger budget, against one machine spraying passwords across many accounts. */
	address: ThrottleRule;
}

export const LOGIN_THROTTLE: ThrottleRules = {
	account: { freeFailures: 5, windowMs: 15 * 60_000, firstLockMs: 60_000, maxLockMs: 15 * 60_000 },
	address: { freeFailures: 30, windowMs: 15 * 60_000, firstLockMs: 60_000, maxLockMs: 15 * 60_000 }
};

export type ThrottleVerdict = { ok: true; attempt: LoginAttempt } | { ok: false; retryAfterSeconds: number };

/** One counted attempt: hand it back to `succeeded` when the password was right. */
export interface LoginAttempt {
	accountKey: string | null;
	addressKey: string;
}

/** The lock after `failures` failures under `rule` (0 while some are still free). */
export function lockMsAfter(failures: number, rule: ThrottleRule): number {
	if (failures < rule.freeFailures) return 0;
	const doublings = Math.min(failures - rule.freeFailures, 30);
	return Math.min(rule.maxLockMs, rule.firstLockMs * 2 ** doublings);
}

export class LoginThrottle {
	/** `database` is called at each use: bknd's connection exists only once the app is built. */
	constructor(
		private readonly database: () => Kysely<any>,
		private readonly secret: string,
		private readonly rules: ThrottleRules = LOGIN_THROTTLE
	) {}

	private get db(): Kysely<any> {
		return this.database();
	}

	/** Creates the table when missing (idempotent). */
	async createTable(): Promise<void> {
		await sql`CREATE TABLE IF NOT EXISTS ${sql.table(LOGIN_THROTTLE_TABLE)} (
			key TEXT PRIMARY KEY,
			failures INTEGER NOT NULL,
			last_at INTEGER NOT NULL,
			locked_until INTEGER NOT NULL
		)`.execute(this.db);
	}

	/** The stored key of an account (email trimmed and lower-cased, as sign-in compares it) or of an address. */
	keyOf(kind: 'account' | 'address', value: string): string {
		const normalised = kind === 'account' ? value.trim().toLowerCase() : value;
		return createHmac('sha256', this.secret).update(`${kind}:${normalised}`).digest('hex');
	}

	/**
	 * Counts an attempt by `email` (null when the body names none) from `address`, or refuses it while the account
	 * or the address is locked, with the seconds until it is not.
	 */
	async begin(email: string | null, address: string, now = Date.now()): Promise<ThrottleVerdict> {
		await this.#prune(now);
		const attempt: LoginAttempt = { accountKey: email ? this.keyOf('account', email) : null, addressKey: this.keyOf('address', address) };
		const counted = await this.#countUnlessLocked(attempt, now);
		if (counted) return { ok: true, attempt };
		const keys = [attempt.addressKey, ...(attempt.accountKey ? [attempt.accountKey] : [])];
		const row = (await this.db
			.selectFrom(LOGIN_THROTTLE_TABLE)
			.select((eb) => eb.fn.max('locked_until').as('until'))
			.where('key', 'in', keys)
			.executeTakeFirst()) as { until: number | null } | undefined;
		const lockedUntil = Number(row?.until ?? now + 1000);
		return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil - now) / 1000)) };
	}

	/** The password was right: the account starts afresh, and the address gets its counted attempt back. */
	async succeeded(attempt: LoginAttempt): Promise<void> {
		if (attempt.accountKey) await this.db.deleteFrom(LOGIN_THROTTLE_TABLE).where('key', '=', attempt.accountKey).execute();
		// One statement: the give-back cannot be lost between a read and a write of another isolate.
		const free = this.rules.address.freeFailures;
		await sql`UPDATE ${sql.table(LOGIN_THROTTLE_TABLE)}
			SET failures = max(0, failures - 1), locked_until = CASE WHEN max(0, failures - 1) < ${free} THEN 0 ELSE locked_until END
			WHERE key = ${attempt.addressKey}`.execute(this.db);
	}

	/**
	 * The check and the count in ONE statement (D1 has no interactive transactions, and the Worker runs in many
	 * isolates): unless the account or the address is locked now, both counters go up by one (or restart at 1
	 * when their window has passed) and get the lock their new count earns. True when counted, false when locked.
	 */
	async #countUnlessLocked(attempt: LoginAttempt, now: number): Promise<boolean> {
		const { accountKey, addressKey } = attempt;
		const keys = accountKey ? sql`(${addressKey}, ${accountKey})` : sql`(${addressKey})`;
		const candidates = accountKey ? sql`SELECT ${addressKey} AS key UNION ALL SELECT ${accountKey}` : sql`SELECT ${addressKey} AS key`;
		// The rule of a row, by its key: the account's for the account key, the address's otherwise.
		const rule = (column: RawBuilder<unknown>, pick: (r: ThrottleRule) => number) =>
			accountKey ? sql`(CASE WHEN ${column} = ${accountKey} THEN ${pick(this.rules.account)} ELSE ${pick(this.rules.address)} END)` : sql`${pick(this.rules.address)}`;
		// lockMsAfter in SQL: 0 while failures are free, then the first lock doubled per further failure, capped.
		const lockUntil = (failures: RawBuilder<unknown>, column: RawBuilder<unknown>) => sql`(CASE WHEN ${failures} < ${rule(column, (r) => r.freeFailures)} THEN 0
			ELSE ${now} + min(${rule(column, (r) => r.maxLockMs)}, ${rule(column, (r) => r.firstLockMs)} << min(${failures} - ${rule(column, (r) => r.freeFailures)}, 30)) END)`;
		const existing = sql`${sql.table(LOGIN_THROTTLE_TABLE)}.key`;
		const newFailures = sql`(CASE WHEN ${now} >= max(last_at, locked_until) + ${rule(existing, (r) => r.windowMs)} THEN 1 ELSE failures + 1 END)`;
		const result = await sql<{ key: string }>`INSERT INTO ${sql.table(LOGIN_THROTTLE_TABLE)} (key, failures, last_at, locked_until)
			SELECT c.key, 1, ${now}, ${lockUntil(sql`1`, sql`c.key`)} FROM (${candidates}) AS c
			WHERE NOT EXISTS (SELECT 1 FROM ${sql.table(LOGIN_THROTTLE_TABLE)} WHERE key IN ${keys} AND locked_until > ${now})
			ON CONFLICT(key) DO UPDATE SET
				failures = ${newFailures},
				last_at = ${now},
				locked_until = ${lockUntil(newFailures, existing)}
			RETURNING key`.execute(this.db);
		// Some drivers answer one empty row for a statement that returned none: look for a key.
		return result.rows.some((row) => typeof row?.key === 'string');
	}

	/** Rows whose window has passed count nothing any more. */
	async #prune(now: number): Promise<void> {
		const window = Math.max(this.rules.account.windowMs, this.rules.address.windowMs);
		await sql`DELETE FROM ${sql.table(LOGIN_THROTTLE_TABLE)} WHERE max(last_at, locked_until) < ${now - window}`.execute(this.db);
	}
}
