import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkndLogin, bkndRows } from '../harness/bkndApi';
import { DEMO_PASSWORD, DEMO_USERS, startStack, type Stack } from '../harness/stack';
import { sessionCookie, signIn, webRequest, type WebResponse } from '../harness/webClient';
import { bootcampApplication } from '../harness/bootcampApplication';

// Sign-in throttling, the address the web app believes, and sessions that end when they should, through the
// web app (wrangler dev) against a real bknd. bknd's own route is covered in bknd/auth/*.test.ts.
// Every request here comes from 127.0.0.1, one address: the failures below stay under its budget (30).

const WRONG = 'pas-le-bon-mot-de-passe';
const FORM_POST = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

let stack: Stack;
let admin = '';

beforeAll(async () => {
	stack = await startStack();
	admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
}, 240_000);

afterAll(async () => {
	await stack?.stop();
});

const sessionPost = (email: string, password: string, cookie?: string) =>
	webRequest(stack.web.url, '/api/session', { method: 'POST', body: { email, password }, cookie });
const loginForm = (email: string, password: string, lang?: 'en') =>
	webRequest(stack.web.url, '/login', {
		method: 'POST',
		body: new URLSearchParams({ email, password }).toString(),
		headers: { ...FORM_POST, origin: stack.web.url },
		cookie: lang ? `lang=${lang}` : undefined
	});
const setsSession = (res: WebResponse) => ([] as string[]).concat(res.headers['set-cookie'] ?? []).some((c) => /^fp_session=[^;]+/.test(c));
/** The bknd token inside a session cookie `fp_session=<jwt>`. */
const tokenOf = (cookie: string) => decodeURIComponent(cookie.slice('fp_session='.length));
const bkndMe = (token: string) => fetch(`${stack.bknd.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
const sessionUser = async (cookie: string) => (await webRequest(stack.web.url, '/api/session', { cookie })).json().user;
const roomToken = (cookie: string) => webRequest(stack.web.url, '/api/rooms/token?room=ferme-verte.1', { cookie }).then((r) => r.status);

describe('sign-in throttling through the web app', () => {
	it('THROTTLE-WEB-1: 30 wrong passwords on POST /api/session: 401 five times, then 429 JSON with retry-after and the French wait; the right password is refused too, with no cookie', async () => {
		const answers: WebResponse[] = [];
		for (let i = 0; i < 30; i++) answers.push(await sessionPost(DEMO_USERS.designer, WRONG));
		expect(answers.slice(0, 5).map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
		expect(answers.slice(5).map((a) => a.status)).toEqual(Array(25).fill(429));
		const last = answers.at(-1)!;
		expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
		expect(Number(last.headers['retry-after'])).toBeLessThanOrEqual(60);
		expect(last.json()).toEqual({ error: 'Trop d’essais de connexion. Réessayez dans 1 minute.', retryAfterSeconds: Number(last.headers['retry-after']) });
		const right = await sessionPost(DEMO_USERS.designer, DEMO_PASSWORD);
		expect(right.status).toBe(429);
		expect(setsSession(right)).toBe(false);
		// The account rule: another account signs in from the same address.
		expect((await sessionPost(DEMO_USERS.clientSud, DEMO_PASSWORD)).status).toBe(200);
	});

	it('THROTTLE-WEB-2: the /login form post (no JavaScript) is throttled the same way and says how long to wait, in French or English', async () => {
		for (let i = 0; i < 5; i++) expect((await loginForm(DEMO_USERS.partner, WRONG)).status).toBe(401);
		const locked = await loginForm(DEMO_USERS.partner, DEMO_PASSWORD);
		expect(locked.status).toBe(429);
		expect(setsSession(locked)).toBe(false);
		expect(locked.body).toContain('Trop d’essais de connexion. Réessayez dans 1 minute.');
		const english = await loginForm(DEMO_USERS.partner, DEMO_PASSWORD, 'en');
		expect(english.status).toBe(429);
		expect(english.body).toContain('Too many sign-in attempts. Try again in 1 minute.');
	});
});

describe('the address the web app believes', () => {
	it('CFIP-3: a forged cf-connecting-ip on the local stack does not escape the per-address submission limit', async () => {
		const [cohort] = await bkndRows<{ id: number }>(stack.bknd.url, admin, 'bootcamp_cohorts', '&where={"status":"open"}');
		const apply = (i: number) =>
			webRequest(stack.web.url, '/api/bootcamp/applications', {
				method: 'POST',
				headers: { 'cf-connecting-ip': `203.0.113.${i}` },
				body: bootcampApplication(cohort!.id, `forge-${i}`)
			});
		for (let i = 1; i <= 5; i++) expect((await apply(i)).status).toBe(201);
		expect((await apply(6)).status).toBe(429);
	});
});

describe('sessions end when they should', () => {
	it('SESSION-WEB-1: after DELETE /api/session the old cookie is signed out everywhere: the web app, the room token endpoint and bknd itself', async () => {
		const cookie = await signIn(stack.web.url, DEMO_USERS.admin);
		expect((await sessionUser(cookie))?.email).toBe(DEMO_USERS.admin);
		expect(await roomToken(cookie)).toBe(200);
		expect(await bkndMe(tokenOf(cookie))).toBe(200);
		expect((await webRequest(stack.web.url, '/api/session', { method: 'DELETE', cookie, headers: { origin: stack.web.url } })).status).toBe(200);
		// The browser dropped the cookie; a copy of it is worth nothing now.
		expect(await bkndMe(tokenOf(cookie))).toBe(403);
		expect(await sessionUser(cookie)).toBeNull();
		expect(await roomToken(cookie)).toBe(401);
		const read = await fetch(`${stack.bknd.url}/api/data/entity/projects`, { headers: { authorization: `Bearer ${tokenOf(cookie)}` } });
		expect(read.status).toBe(403);
	});

	it('SESSION-WEB-2: the /logout form ends the session the same way', async () => {
		const cookie = await signIn(stack.web.url, DEMO_USERS.clientFerme);
		const out = await webRequest(stack.web.url, '/logout', { method: 'POST', body: '', headers: { ...FORM_POST, origin: stack.web.url }, cookie });
		expect(out.status).toBe(303);
		expect(await bkndMe(tokenOf(cookie))).toBe(403);
		expect(await sessionUser(cookie)).toBeNull();
	});

	it('SESSION-WEB-3: a new password set through /welcome/<token> ends the sessions from before; the welcome sign-in and a later one work', async () => {
		const before = await signIn(stack.web.url, DEMO_USERS.clientSud);
		const [user] = await bkndRows<{ id: number }>(stack.bknd.url, admin, 'users', `&where=${encodeURIComponent(JSON.stringify({ email: DEMO_USERS.clientSud }))}`);
		const link = await fetch(`${stack.bknd.url}/api/fataplus/users/${user!.id}/password-link`, {
			method: 'POST',
			headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
			body: '{}'
		}).then((r) => r.json() as Promise<{ token: string }>);
		const password = 'nouveau-mot-de-passe-sud-2026';
		const set = await webRequest(stack.web.url, `/welcome/${link.token}`, {
			method: 'POST',
			body: new URLSearchParams({ password, confirm: password }).toString(),
			headers: { ...FORM_POST, origin: stack.web.url }
		});
		expect(set.status).toBe(303);
		const welcomed = sessionCookie(set);
		expect(await sessionUser(before)).toBeNull();
		expect(await bkndMe(tokenOf(before))).toBe(403);
		expect((await sessionUser(welcomed))?.email).toBe(DEMO_USERS.clientSud);
		expect((await sessionPost(DEMO_USERS.clientSud, password)).status).toBe(200);
	});
});
