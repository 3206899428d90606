import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { bkndLogin, bkndRows } from '../harness/bkndApi';
import { tryUpgrade } from '../harness/rawSocket';
import { DEMO_USERS, startStack, type Stack } from '../harness/stack';
import { signIn, webRequest } from '../harness/webClient';

interface Row { id: number; [key: string]: unknown }

// The web app against real bknd and real rooms. What must never happen: a cookie for a wrong
// password, a bknd token reaching the browser, a room token for a room the user may not enter,
// another tenant's page or rows, or an API path outside the allow-list reaching bknd.
describe('web app: sessions, room tokens, tenants, health, API allow-list', () => {
	let stack: Stack;
	let clients: Row[];
	let projects: Row[];
	let shares: Row[];
	const cookies: Record<string, string> = {};
	const tenantProjects = (slug: string) => {
		const client = clients.find((c) => c.slug === slug)!;
		return projects.filter((p) => p.clients_id === client.id).map((p) => p.id).sort((a, b) => a - b);
	};

	beforeAll(async () => {
		stack = await startStack();
		const admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		clients = await bkndRows<Row>(stack.bknd.url, admin, 'clients');
		projects = await bkndRows<Row>(stack.bknd.url, admin, 'projects');
		shares = await bkndRows<Row>(stack.bknd.url, admin, 'project_shares');
		for (const [key, email] of Object.entries(DEMO_USERS)) cookies[key] = await signIn(stack.web.url, email);
	}, 240_000);

	afterAll(async () => {
		await stack?.stop();
	});

	describe('sign-in', () => {
		it.each(Object.entries(DEMO_USERS))('signs in %s and answers the user without any token', async (key, email) => {
			const response = await webRequest(stack.web.url, '/api/session', { method: 'POST', body: { email, password: 'fataplus-demo' } });
			expect(response.status).toBe(200);
			const body = response.json();
			expect(body.user.email).toBe(email);
			expect(body.user.role).toBe(key.startsWith('client') ? 'client' : key);
			expect(response.body).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT of any kind in the answer
			const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((c) => c.startsWith('fp_session='))!;
			expect(cookie).toMatch(/HttpOnly/i);
			expect(cookie).toMatch(/SameSite=Lax/i);
			expect(cookie).not.toMatch(/Secure/i); // plain http on loopback; production is https
		});

		it('refuses a wrong password with a French message and sets no cookie', async () => {
			const response = await webRequest(stack.web.url, '/api/session', {
				method: 'POST',
				body: { email: DEMO_USERS.designer, password: 'mauvais-mot-de-passe' }
			});
			expect(response.status).toBe(401);
			expect(response.json().error).toBe('Adresse e-mail ou mot de passe incorrect.');
			expect(response.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^fp_session=[^;]+/)]));
		});

		it('refuses a malformed body with 400 and sets no cookie', async () => {
			const response = await webRequest(stack.web.url, '/api/session', { method: 'POST', body: { email: 42 } });
			expect(response.status).toBe(400);
			expect(String(response.headers['set-cookie'] ?? '')).not.toMatch(/fp_session=[^;]+/);
		});

		it('signs out: the cookie is cleared and the token endpoint answers 401 again', async () => {
			const cookie = await signIn(stack.web.url, DEMO_USERS.designer);
			const out = await webRequest(stack.web.url, '/api/session', { method: 'DELETE', cookie });
			expect(out.status).toBeLessThan(300);
			expect(String(out.headers['set-cookie'])).toMatch(/fp_session=;|fp_session=""|Max-Age=0|Expires=Thu, 01 Jan 1970/i);
		});
	});

	describe('room tokens', () => {
		it('answers 401 without a session', async () => {
			const response = await webRequest(stack.web.url, '/api/rooms/token?room=ferme-verte.1');
			expect(response.status).toBe(401);
			expect(response.json().error).toBeTruthy();
		});

		it("gives a client its own tenant's projects, with claims, a 15-minute cap and the room URL", async () => {
			const ferme = tenantProjects('ferme-verte');
			const room = `ferme-verte.${ferme[0]}`;
			const before = Date.now();
			const response = await webRequest(stack.web.url, `/api/rooms/token?room=${room}`, { cookie: cookies.clientFerme });
			expect(response.status).toBe(200);
			expect(response.headers['cache-control']).toMatch(/no-store/);
			const { token, expiresAt, url } = response.json();
			const claims = decodeJwt(token);
			expect(claims).toMatchObject({ role: 'client', tenant: 'ferme-verte', aud: 'fataplus-rooms', name: expect.any(String) });
			expect(claims.sub).toMatch(/^\d+$/);
			expect([...(claims.projects as number[])].sort((a, b) => a - b)).toEqual(ferme);
			expect(claims.exp! * 1000).toBe(expiresAt);
			expect(expiresAt).toBeGreaterThan(before);
			expect(expiresAt).toBeLessThanOrEqual(before + 15 * 60_000 + 1000);
			expect(url).toBe(`${stack.rooms.url.replace('http', 'ws')}/ws/project/${room}`);
			// The token really opens that room on the real rooms server.
			const outcome = await tryUpgrade(`${url}?token=${token}`);
			expect(outcome.upgraded).toBe(true);
			if (outcome.upgraded) outcome.socket.close();
		});

		it("refuses a client asking for another tenant's project with 403", async () => {
			const sud = tenantProjects('atelier-sud');
			const response = await webRequest(stack.web.url, `/api/rooms/token?room=atelier-sud.${sud[0]}`, { cookie: cookies.clientFerme });
			expect(response.status).toBe(403);
			// and a project of its own tenant under the other tenant's slug gives nothing either
			const ferme = tenantProjects('ferme-verte');
			const mixed = await webRequest(stack.web.url, `/api/rooms/token?room=atelier-sud.${ferme[0]}`, { cookie: cookies.clientFerme });
			expect(mixed.status).toBe(403);
		});

		it('gives a partner only the shared project and refuses an unshared one with 403', async () => {
			const shared = shares.filter((s) => !s.revoked_at).map((s) => s.projects_id as number);
			const ferme = tenantProjects('ferme-verte');
			const unshared = ferme.find((id) => !shared.includes(id))!;
			const ok = await webRequest(stack.web.url, `/api/rooms/token?room=ferme-verte.${shared[0]}`, { cookie: cookies.partner });
			expect(ok.status).toBe(200);
			expect(decodeJwt(ok.json().token).projects).toEqual([shared[0]]);
			const refused = await webRequest(stack.web.url, `/api/rooms/token?room=ferme-verte.${unshared}`, { cookie: cookies.partner });
			expect(refused.status).toBe(403);
		});

		it('refuses a renewal the moment a partner share is revoked, so the room drops the partner when its token expires', async () => {
			const share = shares.find((s) => !s.revoked_at)!;
			const room = `ferme-verte.${share.projects_id}`;
			expect((await webRequest(stack.web.url, `/api/rooms/token?room=${room}`, { cookie: cookies.partner })).status).toBe(200);
			const admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
			const patch = (revoked_at: string | null) =>
				fetch(`${stack.bknd.url}/api/data/entity/project_shares/${share.id}`, {
					method: 'PATCH',
					headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
					body: JSON.stringify({ revoked_at })
				});
			expect((await patch(new Date().toISOString())).ok).toBe(true);
			try {
				// Same session, no re-login: the very next renewal is refused.
				expect((await webRequest(stack.web.url, `/api/rooms/token?room=${room}`, { cookie: cookies.partner })).status).toBe(403);
			} finally {
				expect((await patch(null)).ok).toBe(true);
			}
			expect((await webRequest(stack.web.url, `/api/rooms/token?room=${room}`, { cookie: cookies.partner })).status).toBe(200);
		});

		it('gives staff every project of the tenant', async () => {
			const sud = tenantProjects('atelier-sud');
			const response = await webRequest(stack.web.url, `/api/rooms/token?room=atelier-sud.${sud[0]}`, { cookie: cookies.designer });
			expect(response.status).toBe(200);
			expect([...decodeJwt(response.json().token).projects as number[]].sort((a, b) => a - b)).toEqual(sud);
		});

		it.each(['..', 'ferme-verte..1', '../ferme-verte.1', 'ferme-verte.abc', 'Ferme-Verte.1', '', 'ferme-verte.1.2'])(
			'refuses the malformed room id %j with 403',
			async (room) => {
				const response = await webRequest(stack.web.url, `/api/rooms/token?room=${encodeURIComponent(room)}`, { cookie: cookies.designer });
				expect(response.status).toBe(403);
			}
		);

		it('refuses a project that does not exist with 403', async () => {
			const response = await webRequest(stack.web.url, '/api/rooms/token?room=ferme-verte.999999', { cookie: cookies.designer });
			expect(response.status).toBe(403);
		});

		it('gives the staff live room to staff only', async () => {
			expect((await webRequest(stack.web.url, '/api/rooms/token?room=fataplus', { cookie: cookies.admin })).status).toBe(200);
			expect((await webRequest(stack.web.url, '/api/rooms/token?room=fataplus', { cookie: cookies.clientFerme })).status).toBe(403);
			expect((await webRequest(stack.web.url, '/api/rooms/token?room=ferme-verte', { cookie: cookies.clientFerme })).status).toBe(200);
			expect((await webRequest(stack.web.url, '/api/rooms/token?room=atelier-sud', { cookie: cookies.clientFerme })).status).toBe(403);
		});
	});

	describe('tenant pages', () => {
		it('serves the same tenant page on the subdomain and on the path', async () => {
			const byPath = await webRequest(stack.web.url, '/ferme-verte', { cookie: cookies.clientFerme });
			const bySubdomain = await webRequest(stack.web.url, '/', { cookie: cookies.clientFerme, host: `ferme-verte.localhost:${stack.web.port}` });
			expect(byPath.status).toBe(200);
			expect(bySubdomain.status).toBe(200);
			const firstTitle = projects.find((p) => p.id === tenantProjects('ferme-verte')[0])!.title as string;
			expect(text(byPath.body)).toContain(firstTitle);
			expect(text(bySubdomain.body)).toContain(firstTitle);
		});

		it("answers 404 for an unknown tenant and 403 for another tenant's pages", async () => {
			expect((await webRequest(stack.web.url, '/tenant-inconnu', { cookie: cookies.designer })).status).toBe(404);
			const other = await webRequest(stack.web.url, '/atelier-sud', { cookie: cookies.clientFerme });
			expect(other.status).toBe(403);
			const sudTitle = projects.find((p) => p.id === tenantProjects('atelier-sud')[0])!.title as string;
			expect(text(other.body)).not.toContain(sudTitle);
			const otherProject = await webRequest(stack.web.url, `/atelier-sud/projects/${tenantProjects('atelier-sud')[0]}`, { cookie: cookies.clientFerme });
			expect(otherProject.status).toBe(403);
		});

		it('sends an anonymous visitor to the sign-in page', async () => {
			const response = await webRequest(stack.web.url, '/ferme-verte');
			expect([302, 303, 307]).toContain(response.status);
			expect(response.headers.location).toMatch(/^\/login\?next=/);
		});

		it('never puts the bknd token in a page', async () => {
			const bkndToken = await bkndLogin(stack.bknd.url, DEMO_USERS.clientFerme);
			const page = await webRequest(stack.web.url, `/ferme-verte/projects/${tenantProjects('ferme-verte')[0]}`, { cookie: cookies.clientFerme });
			expect(page.status).toBe(200);
			const sessionValue = decodeURIComponent(cookies.clientFerme!.split('=')[1]!);
			expect(page.body).not.toContain(sessionValue);
			expect(page.body).not.toContain(bkndToken.split('.')[2]);
		});

		it('is French by default and English when chosen', async () => {
			const fr = await webRequest(stack.web.url, '/login');
			expect(fr.body).toMatch(/<html[^>]*lang="fr/);
			const en = await webRequest(stack.web.url, '/login', { headers: { cookie: 'lang=en' } });
			expect(en.body).toMatch(/<html[^>]*lang="en/);
		});
	});

	describe('API allow-list to bknd', () => {
		it("proxies an allowed read with the user's own rights", async () => {
			const response = await webRequest(stack.web.url, '/api/data/entity/projects?limit=100', { cookie: cookies.clientFerme });
			expect(response.status).toBe(200);
			const ids = (response.json().data as Row[]).map((p) => p.id).sort((a, b) => a - b);
			expect(ids).toEqual(tenantProjects('ferme-verte'));
		});

		it.each([
			['GET', '/api/auth/me'],
			['POST', '/api/auth/password/register'],
			['POST', '/api/auth/password/login'],
			['GET', '/api/system/config'],
			['GET', '/api/data/entity/users'],
			['GET', '/api/media/files'],
			['POST', '/api/data/entity/projects'],
			['PATCH', '/api/data/entity/projects/1'],
			['DELETE', '/api/data/entity/projects/1'],
			['GET', '/api/nope']
		])('answers 404 to %s %s', async (method, path) => {
			const response = await webRequest(stack.web.url, path, { method, cookie: cookies.admin, body: method === 'GET' || method === 'DELETE' ? undefined : { title: 'x' } });
			expect(response.status).toBe(404);
			expect(response.json().error).toBeTruthy();
		});
	});

	describe('health', () => {
		it('reports bknd and rooms reachable, then rooms down', async () => {
			const up = await webRequest(stack.web.url, '/api/health');
			expect(up.status).toBe(200);
			expect(up.json()).toEqual({ ok: true, bknd: true, rooms: true });
			await stack.rooms.stop();
			const down = await webRequest(stack.web.url, '/api/health');
			expect(down.status).toBe(503);
			expect(down.json()).toEqual({ ok: false, bknd: true, rooms: false });
		});
	});
});

/** Page text with the entities Svelte escapes turned back, so titles with apostrophes compare. */
function text(html: string): string {
	return html.replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
