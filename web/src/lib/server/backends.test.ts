import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '../../../../shared/roles';
import { bkndFetch, roomsFetch } from './backends';
import { getEnv, parseEnv } from './env';
import { loadProjectMembers } from './members';

// On Cloudflare the web worker reaches bknd and the rooms through service bindings (wrangler.toml `BKND`,
// `ROOMS`): Worker to Worker, no public hop. What must hold: with a binding, every server-side call goes through
// it and the public URL is never fetched; without one (local runs), the call goes to BKND_URL / ROOMS_INTERNAL_URL.

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fake service binding that records what it was asked, as `Request`s. */
function binding(answer: (request: Request) => Response) {
	const seen: Request[] = [];
	return {
		seen,
		fetch: vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
			const request = new Request(input, init);
			seen.push(request);
			return answer(request);
		})
	};
}

/** The global fetch, failing the test if anything reaches it. */
function forbidPublicFetch() {
	const publicFetch = vi.fn(async () => {
		throw new Error('the public URL was fetched');
	});
	vi.stubGlobal('fetch', publicFetch);
	return publicFetch;
}

const designer: SessionUser = { id: 2, email: 'designer@fata.plus', name: 'Hery', role: 'designer', clientId: null, partnerId: null };
const productionVars = {
	ENVIRONMENT: 'production',
	BKND_URL: 'https://bknd.fata.plus',
	ROOMS_URL: 'https://bknd.fata.plus',
	ROOMS_INTERNAL_URL: 'https://bknd.fata.plus',
	ROOM_TOKEN_SECRET: 'r'.repeat(40),
	BKND_SERVICE_SECRET: 's'.repeat(40)
};

afterEach(() => {
	vi.unstubAllGlobals();
	vi.restoreAllMocks();
});

// Every call site builds its URL from BKND_URL / ROOMS_INTERNAL_URL and fetches with bkndFetch(env) /
// roomsFetch(env) (grep finds no other fetch to them under web/src); members.ts stands for them here because it
// imports no `$shared` alias, which the unit tier does not resolve.
describe('backends: service bindings first, URLs for local runs', () => {
	it('BACKEND-1: with a BKND binding, a bknd call goes through it with its headers, and the public URL is never fetched', async () => {
		const publicFetch = forbidPublicFetch();
		const bknd = binding(() => json([{ userId: '2', name: 'Hery', role: 'designer' }]));
		const env = getEnv({ env: { ...productionVars, BKND: bknd } });

		expect(await loadProjectMembers(env, 'jwt', designer, { id: 12, clients_id: 1 })).toEqual([{ userId: '2', name: 'Hery', role: 'designer' }]);
		const ping = await bkndFetch(env)(`${env.BKND_URL}/api/system/ping`);
		expect(ping.status).toBe(200);

		expect(publicFetch).not.toHaveBeenCalled();
		expect(bknd.seen.map((r) => r.url)).toEqual(['https://bknd.fata.plus/api/fataplus/projects/12/members', 'https://bknd.fata.plus/api/system/ping']);
		expect(bknd.seen[0]!.headers.get('authorization')).toBe('Bearer jwt');
	});

	it("BACKEND-2: with a ROOMS binding, the rooms' server API goes through it, never the public URL", async () => {
		const publicFetch = forbidPublicFetch();
		const rooms = binding(() => json({ seq: 41 }));
		const env = getEnv({ env: { ...productionVars, ROOMS: rooms } });

		const res = await roomsFetch(env)(`${env.ROOMS_INTERNAL_URL}/ws/live/ferme-verte/seq`, { headers: { authorization: 'Bearer room-token' } });
		expect(await res.json()).toEqual({ seq: 41 });
		expect(publicFetch).not.toHaveBeenCalled();
		expect(rooms.seen.map((r) => r.url)).toEqual(['https://bknd.fata.plus/ws/live/ferme-verte/seq']);
		expect(rooms.seen[0]!.headers.get('authorization')).toBe('Bearer room-token');
	});

	it('BACKEND-3: without bindings (local runs), calls go over HTTP to BKND_URL and ROOMS_INTERNAL_URL', async () => {
		const publicFetch = vi.fn(async () => json([]));
		vi.stubGlobal('fetch', publicFetch);
		const env = getEnv({ env: { BKND_URL: 'http://127.0.0.1:15337', ROOMS_INTERNAL_URL: 'http://127.0.0.1:11999' } });

		await loadProjectMembers(env, 'jwt', designer, { id: 12, clients_id: 1 });
		await roomsFetch(env)(`${env.ROOMS_INTERNAL_URL}/ws/live/ferme-verte/seq`);
		expect(publicFetch.mock.calls.map((call) => String((call as unknown[])[0]))).toEqual([
			'http://127.0.0.1:15337/api/fataplus/projects/12/members',
			'http://127.0.0.1:11999/ws/live/ferme-verte/seq'
		]);
	});

	it('BACKEND-4: a BKND or ROOMS that is not a service binding (a plain variable) is refused with a clear error', () => {
		expect(() => parseEnv({ BKND: 'https://bknd.fata.plus' })).toThrow(/BKND: must be a service binding/);
		expect(() => parseEnv({ ROOMS: {} })).toThrow(/ROOMS: must be a service binding/);
	});

	it('BACKEND-5: a process variable named BKND or ROOMS is never taken for a binding', async () => {
		vi.stubEnv('BKND', 'https://elsewhere.example');
		const publicFetch = vi.fn(async () => json([]));
		vi.stubGlobal('fetch', publicFetch);
		const env = getEnv({ env: { BKND_URL: 'http://127.0.0.1:15337' } });
		expect(env.BKND).toBeNull();
		await loadProjectMembers(env, 'jwt', designer, { id: 12, clients_id: 1 });
		expect(publicFetch).toHaveBeenCalledOnce();
		vi.unstubAllEnvs();
	});
});
