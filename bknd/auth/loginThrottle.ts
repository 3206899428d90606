import { createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

// Sign-in throttling (password login), per account and per client address, kept in bknd's database: the web
// worker runs in many Cloudflare isolates, and a count kept in one of them would limit nobody. Each attempt is
// counted as a failure BEFORE the password is checked (so a burst of parallel guesses cannot all slip in ahead of
// the first recorded failure) and given back when the password was right. Once an account (or an address) has
// used its free failures, every further attempt is refused without checking the password, until a lock that
// doubles with each failure (1 min, 2, 4, 8, then 15 at most) has passed: the right password is refused too
// while locked, so guessing through the lock is pointless. A success clears the account's counter.
// Keys are HMACs (of the normalised email, of the address) under the JWT secret: the table holds no email and
// no IP. Its name contains "bknd", so bknd's schema sync leaves it alone (see bridge/bridgeTables.ts).
// One bknd process per database (bknd/README.md "Limits"): the read-then-write below is serialised in memory.

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

interface Row {
	key: string;
	failures: number;
	last_at: number;
	locked_until: number;
}

/** The lock after `failures` failures under `rule` (0 while some are still free). */
export function lockMsAfter(failures: number, rule: ThrottleRule): number {
	if (failures < rule.freeFailures) return 0;
	const doublings = Math.min(failures - rule.freeFailures, 30);
	return Math.min(rule.maxLockMs, rule.firstLockMs * 2 ** doublings);
}

export class LoginThrottle {
	#queue: Promise<unknown> = Promise.resolve();

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
	begin(email: string | null, address: string, now = Date.now()): Promise<ThrottleVerdict> {
		return this.#serial(async () => {
			await this.#prune(now);
			const attempt: LoginAttempt = { accountKey: email ? this.keyOf('account', email) : null, addressKey: this.keyOf('address', address) };
			const keyed: [string, ThrottleRule][] = [[attempt.addressKey, this.rules.address]];
			if (attempt.accountKey) keyed.push([attempt.accountKey, this.rules.account]);
			const rows = await Promise.all(keyed.map(([key, rule]) => this.#current(key, rule, now)));
			const lockedUntil = Math.max(...rows.map((row) => row.locked_until));
			if (lockedUntil > now) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil - now) / 1000)) };
			for (const [index, [key, rule]] of keyed.entries()) {
				const failures = rows[index]!.failures + 1;
				const lock = lockMsAfter(failures, rule);
				await this.#write({ key, failures, last_at: now, locked_until: lock > 0 ? now + lock : 0 });
			}
			return { ok: true, attempt };
		});
	}

	/** The password was right: the account starts afresh, and the address gets its counted attempt back. */
	succeeded(attempt: LoginAttempt): Promise<void> {
		return this.#serial(async () => {
			if (attempt.accountKey) await this.db.deleteFrom(LOGIN_THROTTLE_TABLE).where('key', '=', attempt.accountKey).execute();
			const row = await this.#read(attempt.addressKey);
			if (!row) return;
			const failures = Math.max(0, row.failures - 1);
			const lock = lockMsAfter(failures, this.rules.address);
			await this.#write({ ...row, failures, locked_until: lock > 0 ? row.locked_until : 0 });
		});
	}

	/** Rows whose window has passed count nothing any more. */
	async #prune(now: number): Promise<void> {
		const window = Math.max(this.rules.account.windowMs, this.rules.address.windowMs);
		await sql`DELETE FROM ${sql.table(LOGIN_THROTTLE_TABLE)} WHERE max(last_at, locked_until) < ${now - window}`.execute(this.db);
	}

	/** The row of `key`, or a fresh one when it is missing or its window has passed. */
	async #current(key: string, rule: ThrottleRule, now: number): Promise<Row> {
		const row = await this.#read(key);
		if (!row || now >= Math.max(row.last_at, row.locked_until) + rule.windowMs) return { key, failures: 0, last_at: 0, locked_until: 0 };
		return row;
	}

	async #read(key: string): Promise<Row | undefined> {
		return (await this.db.selectFrom(LOGIN_THROTTLE_TABLE).selectAll().where('key', '=', key).executeTakeFirst()) as Row | undefined;
	}

	async #write(row: Row): Promise<void> {
		await sql`INSERT INTO ${sql.table(LOGIN_THROTTLE_TABLE)} (key, failures, last_at, locked_until)
			VALUES (${row.key}, ${row.failures}, ${row.last_at}, ${row.locked_until})
			ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at, locked_until = excluded.locked_until`.execute(this.db);
	}

	#serial<T>(run: () => Promise<T>): Promise<T> {
		const result = this.#queue.then(run, run);
		this.#queue = result.catch(() => undefined);
		return result;
	}
}
