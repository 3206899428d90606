import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_IP_HEADER, SERVICE_HEADER } from '../../shared/publicApi';
import { DEFAULT_DEMO_PASSWORD } from '../seed';
import { startTestBknd, type TestBknd } from '../testApi';
import { login, median, send } from './http.testkit';
import { lockMsAfter, LOGIN_THROTTLE, type ThrottleRules } from './loginThrottle';

// The sign-in throttle and the equal timing of known and unknown emails, on bknd's own login route over real
// HTTP (the web app's routes are covered in tests/integration/signIn.test.ts). The windows are shortened for the
// test only (same rules, seconds instead of minutes).

const SERVICE_SECRET = 'throttle-test-service-secret-0123456789abcdef';
const SHORT: ThrottleRules = {
	account: { ...LOGIN_THROTTLE.account, windowMs: 4_000, firstLockMs: 1_500, maxLockMs: 3_000 },
	address: { ...LOGIN_THROTTLE.address, windowMs: 4_000, firstLockMs: 1_500, maxLockMs: 3_000 }
};
const WRONG = 'pas-le-bon-mot-de-passe';
const fromAddress = (address: string) => ({ [SERVICE_HEADER]: SERVICE_SECRET, [CLIENT_IP_HEADER]: address });

describe('lock lengths', () => {
	it('THROTTLE-0: 5 free failures per account, then 1, 2, 4, 8 and at most 15 minutes; 30 per address', () => {
		const minutes = [4, 5, 6, 7, 8, 9, 20].map((n) => lockMsAfter(n, LOGIN_THROTTLE.account) / 60_000);
		expect(minutes).toEqual([0, 1, 2, 4, 8, 15, 15]);
		expect(lockMsAfter(29, LOGIN_THROTTLE.address)).toBe(0);
		expect(lockMsAfter(30, LOGIN_THROTTLE.address)).toBe(60_000);
	});
});

describe('sign-in throttle on bknd', () => {
	let t: TestBknd;
	beforeAll(async () => {
		t = await startTestBknd({ serviceSecret: SERVICE_SECRET, loginThrottle: SHORT });
	}, 60_000);
	afterAll(async () => {
		await t?.stop();
	});

	it('THROTTLE-1: 30 wrong passwords: 401 five times, then 429 + retry-after; the right password is refused during the lock, another account is not locked, and the right password works after it', async () => {
		const address = fromAddress('198.51.100.1');
		const statuses: number[] = [];
		for (let i = 0; i < 30; i++) {
			const answer = await login(t.bknd.url, 'designer@fata.plus', WRONG, address);
			statuses.push(answer.status);
			if (answer.status === 429) {
				expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
				expect(answer.body).toMatchObject({ code: 'throttled', retryAfterSeconds: expect.any(Number) });
			}
		}
		expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
		expect(statuses.slice(5)).toEqual(Array(25).fill(429));
		// The right password, in any letter case of the email, is refused while the account is locked: no token.
		const right = await login(t.bknd.url, 'Designer@Fata.plus ', DEFAULT_DEMO_PASSWORD, address);
		expect(right.status).toBe(429);
		expect(JSON.stringify(right.body)).not.toMatch(/token/);
		// The account rule locks the account, not the address: another account signs in from it.
		expect((await login(t.bknd.url, 'client@ferme-verte.mg', DEFAULT_DEMO_PASSWORD, address)).status).toBe(200);
		// And from another address the locked account is still locked.
		expect((await login(t.bknd.url, 'designer@fata.plus', DEFAULT_DEMO_PASSWORD, fromAddress('198.51.100.2'))).status).toBe(429);
		await expect.poll(async () => (await login(t.bknd.url, 'designer@fata.plus', DEFAULT_DEMO_PASSWORD, address)).status, { timeout: 10_000, interval: 250 }).toBe(200);
		// A success clears the account's counter: the next mistake is a plain 401 again.
		expect((await login(t.bknd.url, 'designer@fata.plus', WRONG, address)).status).toBe(401);
	});

	it('THROTTLE-2: a form post to bknd is counted and refused the same way', async () => {
		const form = (password: string) =>
			send(`${t.bknd.url}/api/auth/password/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded', ...fromAddress('198.51.100.3') },
				body: new URLSearchParams({ email: 'partner@studio-partenaire.mg', password })
			});
		for (let i = 0; i < 5; i++) expect((await form(WRONG)).status).not.toBe(429);
		expect((await form(DEFAULT_DEMO_PASSWORD)).status).toBe(429);
	});

	it('THROTTLE-3: the address rule catches one address spraying one password across 30 accounts; other addresses are unaffected', async () => {
		const sprayer = fromAddress('203.0.113.7');
		for (let i = 0; i < 30; i++) expect((await login(t.bknd.url, `personne-${i}@example.mg`, WRONG, sprayer)).status).toBe(401);
		const locked = await login(t.bknd.url, 'admin@fata.plus', DEFAULT_DEMO_PASSWORD, sprayer);
		expect(locked.status).toBe(429);
		expect((await login(t.bknd.url, 'admin@fata.plus', DEFAULT_DEMO_PASSWORD, fromAddress('203.0.113.8'))).status).toBe(200);
	});

	it('THROTTLE-4: without the service secret, a forwarded address is not believed: the socket address is counted', async () => {
		for (let i = 0; i < 30; i++) {
			const forged = { [CLIENT_IP_HEADER]: `192.0.2.${i}`, [SERVICE_HEADER]: 'not-the-secret' };
			expect((await login(t.bknd.url, `forge-${i}@example.mg`, WRONG, forged)).status).toBe(401);
		}
		expect((await login(t.bknd.url, 'forge-31@example.mg', WRONG, { [CLIENT_IP_HEADER]: '192.0.2.200' })).status).toBe(429);
	});

	it('THROTTLE-5: a sign-in body over 16 KiB is refused with 413 before anything is read into bknd', async () => {
		const answer = await login(t.bknd.url, 'designer@fata.plus', 'x'.repeat(17 * 1024), fromAddress('198.51.100.9'));
		expect(answer.status).toBe(413);
	});

	it('THROTTLE-6: a form post of unknown length (chunked) is refused with 411, so the account throttle cannot be skipped', async () => {
		const body = new URLSearchParams({ email: 'partner@studio-partenaire.mg', password: DEFAULT_DEMO_PASSWORD }).toString();
		const stream = new ReadableStream({ start: (controller) => (controller.enqueue(new TextEncoder().encode(body)), controller.close()) });
		const answer = await send(`${t.bknd.url}/api/auth/password/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', ...fromAddress('198.51.100.10') },
			body: stream,
			duplex: 'half'
		} as RequestInit);
		expect(answer.status).toBe(411);
		expect(answer.headers.getSetCookie().some((c) => c.startsWith('auth='))).toBe(false);
	});
});

describe('equal timing of known and unknown emails', () => {
	let t: TestBknd;
	beforeAll(async () => {
		// Throttle budgets out of the way: this measures the password check, not the lock.
		const roomy = { freeFailures: 1_000, windowMs: 60_000, firstLockMs: 1_000, maxLockMs: 1_000 };
		t = await startTestBknd({ serviceSecret: SERVICE_SECRET, loginThrottle: { account: roomy, address: roomy } });
	}, 60_000);
	afterAll(async () => {
		await t?.stop();
	});

	it('TIMING-1: medians of 15 interleaved wrong-password logins for an existing and an unknown account are within 25%', async () => {
		const time = async (email: string) => {
			const started = performance.now();
			const answer = await login(t.bknd.url, email, WRONG);
			expect(answer.status).toBe(401);
			return performance.now() - started;
		};
		await time('designer@fata.plus'); // warm-up: the first bcrypt also builds the dummy hash
		await time('warm-up@example.mg');
		const known: number[] = [];
		const unknown: number[] = [];
		for (let i = 0; i < 15; i++) {
			// Alternate which goes first, so a burst of load on the machine falls on both alike.
			if (i % 2) unknown.push(await time(`inconnu-${i}@example.mg`));
			known.push(await time('designer@fata.plus'));
			if (!(i % 2)) unknown.push(await time(`inconnu-${i}@example.mg`));
		}
		const [a, b] = [median(known), median(unknown)];
		console.info(`TIMING-1 medians: existing ${a.toFixed(1)} ms, unknown ${b.toFixed(1)} ms`);
		expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThan(0.25);
	});
});
