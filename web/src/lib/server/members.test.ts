import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionUser } from '../../../../shared/roles';
import type { ServerEnv } from './env';
import { loadProjectMembers } from './members';

const env = { BKND_URL: 'http://bknd.test' } as ServerEnv;
const partner: SessionUser = { id: 3, email: 'partner@studio-partenaire.mg', name: 'Lova Andria', role: 'partner', clientId: null, partnerId: 1 };
const project = { id: 12, clients_id: 1 };

function answer(status: number, body: unknown) {
	const fetchMock = vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
	vi.stubGlobal('fetch', fetchMock);
	return fetchMock;
}

afterEach(() => {
	vi.unstubAllGlobals();
	vi.restoreAllMocks();
});

describe('loadProjectMembers', () => {
	it("MEM-4: asks bknd's members route with the viewer's own token, whatever the role, and keeps only userId, name, role", async () => {
		const fetchMock = answer(200, [
			{ userId: '2', name: 'Hery Rakoto', role: 'designer', email: 'designer@fata.plus' },
			{ userId: '4', name: 'Fara Rasoa', role: 'client' },
			{ userId: '9', name: 'Bad role', role: 'root' }
		]);
		const members = await loadProjectMembers(env, 'the-token', partner, project);
		expect(members).toEqual([
			{ userId: '4', name: 'Fara Rasoa', role: 'client' },
			{ userId: '2', name: 'Hery Rakoto', role: 'designer' }
		]);
		const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
		expect(url).toBe('http://bknd.test/api/fataplus/projects/12/members');
		expect(new Headers(init.headers).get('authorization')).toBe('Bearer the-token');
	});

	it('MEM-5: null (the page falls back to knownMembers) when bknd refuses, fails or cannot be reached', async () => {
		vi.spyOn(console, 'warn').mockImplementation(() => {});
		answer(404, { error: 'Project not found.' });
		expect(await loadProjectMembers(env, 't', partner, project)).toBeNull();
		answer(500, { error: 'boom' });
		expect(await loadProjectMembers(env, 't', partner, project)).toBeNull();
		answer(200, { data: [] });
		expect(await loadProjectMembers(env, 't', partner, project)).toBeNull();
		vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('fetch failed'))));
		expect(await loadProjectMembers(env, 't', partner, project)).toBeNull();
	});
});
