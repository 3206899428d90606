import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_PASSWORD } from '../seed';
import { startTestBknd, type TestBknd } from '../testApi';
import { authCookie, login, send } from './http.testkit';

// bknd's CORS (auth/originGate.ts, config.ts `server.cors`): only the app's own origins; a foreign page gets no
// CORS header and no data, even with the visitor's `auth` cookie.

const APP = 'http://localhost:5173';
const EVIL = 'https://evil.example';

let t: TestBknd;
let cookie = '';
beforeAll(async () => {
	t = await startTestBknd({ appOrigins: [APP] });
	cookie = authCookie(await login(t.bknd.url, 'admin@fata.plus', DEFAULT_DEMO_PASSWORD))!;
}, 60_000);
afterAll(async () => {
	await t?.stop();
});

const preflight = (origin: string) =>
	send(`${t.bknd.url}/api/data/entity/projects`, {
		method: 'OPTIONS',
		headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'content-type' }
	});
const credentialedGet = (origin: string) => send(`${t.bknd.url}/api/data/entity/projects`, { headers: { origin, cookie } });

describe('CORS: bknd answers only the app own origins', () => {
	it('CORS-1: a preflight and a credentialed GET from a foreign origin get no access-control-allow-origin and no data', async () => {
		const pre = await preflight(EVIL);
		expect(pre.headers.get('access-control-allow-origin')).toBeNull();
		expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
		const get = await credentialedGet(EVIL);
		expect(get.status).toBe(403);
		expect(get.headers.get('access-control-allow-origin')).toBeNull();
		expect(JSON.stringify(get.body)).not.toMatch(/title|clients_id/);
		// Nor a write: a credentialed form POST needs no preflight, and must not run.
		const write = await send(`${t.bknd.url}/api/data/entity/clients`, {
			method: 'POST',
			headers: { origin: EVIL, cookie, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Intrus', slug: 'intrus' })
		});
		expect(write.status).toBe(403);
		const clients = await send(`${t.bknd.url}/api/data/entity/clients`, { headers: { cookie } });
		expect(JSON.stringify(clients.body)).not.toMatch(/intrus/);
	});

	it("CORS-2: the app's own origin still works, with credentials", async () => {
		const pre = await preflight(APP);
		expect(pre.headers.get('access-control-allow-origin')).toBe(APP);
		const get = await credentialedGet(APP);
		expect(get.status).toBe(200);
		expect(get.headers.get('access-control-allow-origin')).toBe(APP);
		expect(get.body.data.length).toBeGreaterThan(0);
	});
});
