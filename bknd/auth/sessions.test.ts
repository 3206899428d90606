import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUME_LINK_ROUTE, END_SESSION_ROUTE, SERVICE_HEADER } from '../../shared/publicApi';
import { createPasswordLink } from '../routes/users';
import { DEFAULT_DEMO_PASSWORD } from '../seed';
import { startTestBknd, type TestBknd } from '../testApi';
import { authCookie, login, send } from './http.testkit';

// Sessions end when they should (auth/sessions.ts): sign-out ends that session at once, a new password ends every
// session of the account, and bknd itself refuses the old token or cookie everywhere, though it has not expired.

const SERVICE_SECRET = 'sessions-test-service-secret-0123456789abcdef';

let t: TestBknd;
beforeAll(async () => {
	t = await startTestBknd({ serviceSecret: SERVICE_SECRET });
}, 60_000);
afterAll(async () => {
	await t?.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const me = (headers: Record<string, string>) => send(`${t.bknd.url}/api/auth/me`, { headers });
const projects = (headers: Record<string, string>) => send(`${t.bknd.url}/api/data/entity/projects`, { headers });
const endSession = (headers: Record<string, string>) => send(`${t.bknd.url}${END_SESSION_ROUTE}`, { method: 'POST', headers });

async function signIn(email: string, password = DEFAULT_DEMO_PASSWORD): Promise<{ token: string; cookie: string }> {
	const answer = await login(t.bknd.url, email, password);
	expect(answer.status).toBe(200);
	return { token: answer.body.token, cookie: authCookie(answer)! };
}

describe('SESSION: sign-out and password changes end sessions at once', () => {
	it('SESSION-1: after sign-out the token is refused at once (me, data), while another session of the same account goes on', async () => {
		const ended = await signIn('designer@fata.plus');
		// At once: two sign-ins in the same second are two sessions all the same (auth/sessionId.ts).
		const other = await signIn('designer@fata.plus');
		expect((await me(bearer(ended.token))).status).toBe(200);
		expect((await projects(bearer(ended.token))).status).toBe(200);

		expect((await endSession(bearer(ended.token))).status).toBe(200);
		const after = await me(bearer(ended.token));
		expect(after.status).toBe(403);
		expect(after.body.user).toBeNull();
		expect((await projects(bearer(ended.token))).status).toBe(403);
		// bknd's `auth` cookie of that login carries the same token: refused too.
		expect((await me({ cookie: ended.cookie })).status).toBe(403);
		// Our own routes see an anonymous caller.
		expect((await send(`${t.bknd.url}/api/fataplus/users`, { method: 'POST', headers: { ...bearer(ended.token), 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
		// Signing out of one device leaves the other signed in.
		expect((await me(bearer(other.token))).status).toBe(200);
		// A signed-out token cannot sign out again, nor does an anonymous caller.
		expect((await endSession(bearer(ended.token))).status).toBe(401);
		expect((await endSession({})).status).toBe(401);
	});

	it("SESSION-2: bknd's own sign-out (GET /api/auth/logout with its cookie) ends the token inside the cookie too", async () => {
		const session = await signIn('partner@studio-partenaire.mg');
		expect((await me({ cookie: session.cookie })).status).toBe(200);
		expect((await send(`${t.bknd.url}/api/auth/logout`, { headers: { cookie: session.cookie, accept: 'application/json' } })).status).toBe(200);
		expect((await me({ cookie: session.cookie })).status).toBe(403);
		expect((await me(bearer(session.token))).status).toBe(403);
	});

	it('SESSION-3: a new password set through a one-time link ends every earlier session of the account; a new sign-in works', async () => {
		const first = await signIn('client@ferme-verte.mg');
		const second = await signIn('client@ferme-verte.mg');
		const userId = (await me(bearer(first.token))).body.user.id as number;
		const link = await createPasswordLink(t.bknd.app, userId, userId);
		const used = await send(`${t.bknd.url}${CONSUME_LINK_ROUTE}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', [SERVICE_HEADER]: SERVICE_SECRET },
			body: JSON.stringify({ token: link.token, password: 'nouveau-mot-de-passe-2026' })
		});
		expect(used.status).toBe(200);
		for (const old of [first, second]) {
			expect((await me(bearer(old.token))).status).toBe(403);
			expect((await me({ cookie: old.cookie })).status).toBe(403);
			expect((await projects(bearer(old.token))).status).toBe(403);
		}
		const fresh = await signIn('client@ferme-verte.mg', 'nouveau-mot-de-passe-2026');
		expect((await me(bearer(fresh.token))).status).toBe(200);
		expect((await projects(bearer(fresh.token))).status).toBe(200);
	});

	it('SESSION-4: a stale cookie never blocks a new sign-in', async () => {
		const session = await signIn('admin@fata.plus');
		await endSession(bearer(session.token));
		const again = await send(`${t.bknd.url}/api/auth/password/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: session.cookie },
			body: JSON.stringify({ email: 'admin@fata.plus', password: DEFAULT_DEMO_PASSWORD })
		});
		expect(again.status).toBe(200);
		expect((await me(bearer(again.body.token))).status).toBe(200);
	});
});
