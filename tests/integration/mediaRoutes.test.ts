import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MEDIA_BYTES, parseMediaName } from '../../shared/mediaNames';
import { bkndLogin, bkndRows } from '../harness/bkndApi';
import { solidPng } from '../harness/png';
import { DEMO_USERS, startStack, type Stack } from '../harness/stack';
import { signIn } from '../harness/webClient';

interface Row { id: number; [key: string]: unknown }

// The web app's image routes against real bknd (media module + mediaRules.ts), real rooms and the built app
// under wrangler: `POST /<tenant>/projects/<id>/review/images` (staff upload) and `GET /api/media/<name>`
// (per-project read). What must never happen: a non-staff upload, a cross-site upload, an svg or an
// oversize file stored, or another tenant's image reaching a client or a partner without a live share.
describe('web app: frame image upload and read routes', () => {
	let stack: Stack;
	/** The app by IP: Node's fetch cannot set Host, and SvelteKit's CSRF check compares Origin with it. */
	let base = '';
	const cookies: Record<string, string> = {};
	const ids = { fermeProject: 0, sharedProject: 0, sudProject: 0 };
	const PNG = solidPng(4, 3);

	beforeAll(async () => {
		stack = await startStack();
		base = `http://127.0.0.1:${stack.web.port}`;
		const admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		const clients = await bkndRows<Row>(stack.bknd.url, admin, 'clients');
		const projects = await bkndRows<Row>(stack.bknd.url, admin, 'projects', '&sort=id');
		const [share] = await bkndRows<Row>(stack.bknd.url, admin, 'project_shares', `&where=${encodeURIComponent('{"revoked_at":{"$isnull":true}}')}`);
		const tenant = (slug: string) => clients.find((c) => c.slug === slug)!.id;
		ids.sharedProject = share!.projects_id as number;
		ids.fermeProject = projects.find((p) => p.clients_id === tenant('ferme-verte') && p.id !== ids.sharedProject)!.id;
		ids.sudProject = projects.find((p) => p.clients_id === tenant('atelier-sud'))!.id;
		for (const [key, email] of Object.entries(DEMO_USERS)) cookies[key] = await signIn(stack.web.url, email);
	}, 240_000);

	afterAll(async () => {
		await stack?.stop();
	});

	function upload(cookie: string | undefined, path: string, bytes: Uint8Array<ArrayBuffer>, { name = 'maquette.png', type = 'image/png', origin = base } = {}) {
		const form = new FormData();
		form.append('file', new Blob([bytes], { type }), name);
		return fetch(base + path, { method: 'POST', body: form, headers: { origin, ...(cookie ? { cookie } : {}) } });
	}
	const imagesOf = (tenant: string, projectId: number) => `/${tenant}/projects/${projectId}/review/images`;
	const read = (name: string, cookie?: string) => fetch(`${base}/api/media/${name}`, { headers: cookie ? { cookie } : {} });
	const storedFiles = () => (existsSync(stack.bknd.mediaDir) ? readdirSync(stack.bknd.mediaDir).sort() : []);

	async function uploaded(tenant: string, projectId: number): Promise<string> {
		const res = await upload(cookies.designer, imagesOf(tenant, projectId), PNG);
		expect(res.status).toBe(201);
		return ((await res.json()) as { path: string }).path;
	}

	it('WEB-MEDIA-5 a designer uploads an image for a project and reads it back, privately and never sniffed', async () => {
		const res = await upload(cookies.designer, imagesOf('ferme-verte', ids.fermeProject), PNG, { name: '../../évil.png.svg' });
		expect(res.status).toBe(201);
		const { path } = (await res.json()) as { path: string };
		expect(parseMediaName(path)?.projectId).toBe(ids.fermeProject);
		expect(new Uint8Array(readFileSync(join(stack.bknd.mediaDir, path)))).toEqual(PNG);

		const back = await read(path, cookies.designer);
		expect(back.status).toBe(200);
		expect(back.headers.get('content-type')).toBe('image/png');
		expect(back.headers.get('cache-control')).toMatch(/^private/);
		expect(back.headers.get('x-content-type-options')).toBe('nosniff');
		expect(new Uint8Array(await back.arrayBuffer())).toEqual(PNG);
	});

	it('WEB-MEDIA-6 the project\'s client reads its image; a client of another tenant never gets it (404, no bytes), nor a signed-out visitor', async () => {
		const path = await uploaded('ferme-verte', ids.fermeProject);
		const own = await read(path, cookies.clientFerme);
		expect(own.status).toBe(200);
		expect(new Uint8Array(await own.arrayBuffer())).toEqual(PNG);

		for (const [who, cookie, status] of [['clientSud', cookies.clientSud, 404], ['anonymous', undefined, 401]] as const) {
			const res = await read(path, cookie);
			expect(res.status, who).toBe(status);
			expect(res.headers.get('content-type'), who).not.toMatch(/^image\//);
			const bytes = Buffer.from(await res.arrayBuffer());
			expect(bytes.includes(Buffer.from(PNG.subarray(0, 8))), who).toBe(false);
		}
		// And the other way round: the ferme-verte client never reads atelier-sud's images.
		const sud = await uploaded('atelier-sud', ids.sudProject);
		expect((await read(sud, cookies.clientSud)).status).toBe(200);
		expect((await read(sud, cookies.clientFerme)).status).toBe(404);
	});

	it('WEB-MEDIA-7 a partner reads images of the project shared with it, never of one not shared (404)', async () => {
		const shared = await uploaded('ferme-verte', ids.sharedProject);
		const notShared = await uploaded('ferme-verte', ids.fermeProject);
		expect((await read(shared, cookies.partner)).status).toBe(200);
		const refused = await read(notShared, cookies.partner);
		expect(refused.status).toBe(404);
		expect(refused.headers.get('content-type')).not.toMatch(/^image\//);
	});

	it('WEB-MEDIA-8 a client or a partner never uploads (403), nor a cross-site form, nor a signed-out visitor; nothing is stored', async () => {
		const before = storedFiles();
		expect((await upload(cookies.clientFerme, imagesOf('ferme-verte', ids.fermeProject), PNG)).status).toBe(403);
		expect((await upload(cookies.partner, imagesOf('ferme-verte', ids.sharedProject), PNG)).status).toBe(403);
		expect((await upload(undefined, imagesOf('ferme-verte', ids.fermeProject), PNG)).status).toBe(401);
		// SvelteKit's CSRF check: a form posted from another site never reaches the endpoint, even with a staff cookie.
		expect((await upload(cookies.designer, imagesOf('ferme-verte', ids.fermeProject), PNG, { origin: 'https://evil.example' })).status).toBe(403);
		// A project reached through another tenant's URL is not filed under it.
		expect((await upload(cookies.designer, imagesOf('atelier-sud', ids.fermeProject), PNG)).status).toBe(404);
		expect(storedFiles()).toEqual(before);
	});

	it('WEB-MEDIA-9 an svg, a text file named .png or an image over 5 MiB is never stored (415/413)', async () => {
		const before = storedFiles();
		const path = imagesOf('ferme-verte', ids.fermeProject);
		const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
		const svgAnswer = await upload(cookies.designer, path, svg, { name: 'logo.svg', type: 'image/svg+xml' });
		expect(svgAnswer.status).toBe(415);
		expect(((await svgAnswer.json()) as { error: string }).error).toMatch(/PNG, JPEG, WebP et GIF/);
		expect((await upload(cookies.designer, path, new TextEncoder().encode('pas une image'), { name: 'photo.png' })).status).toBe(415);
		const big = new Uint8Array(MAX_MEDIA_BYTES + 1);
		big.set(PNG.subarray(0, 8));
		expect((await upload(cookies.designer, path, big)).status).toBe(413);
		expect(storedFiles()).toEqual(before);
	});

	it('WEB-MEDIA-10 a read never leaves the media folder: traversal and odd names answer 404', async () => {
		for (const name of ['..%2F..%2Fbknd.sqlite', '%2e%2e%2fbknd.sqlite', '..%5Cbknd.sqlite', 'bknd.sqlite', `p${ids.fermeProject}-${'a'.repeat(32)}.svg`, `p${ids.fermeProject}-${'a'.repeat(32)}.png%00`]) {
			const res = await read(name, cookies.designer);
			expect(res.status, name).toBe(404);
			expect(await res.text(), name).not.toContain('SQLite');
		}
	});
});
