import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MEDIA_BYTES, parseMediaName } from '../shared/mediaNames';
import { solidPng } from '../tests/harness/png';
import { startTestBknd, type TestBknd } from './testApi';

// bknd's media module behind mediaRules.ts, over real HTTP: a real bknd on a temp SQLite file and a temp media
// folder. `media.file.read` is one global permission in bknd (docs/bknd.md), so what these tests attack is tenant
// isolation of the files themselves. Every test names what must never happen.

let t: TestBknd;
let mediaDir = '';
const tokens = { admin: '', designer: '', clientFerme: '', clientSud: '', partner: '', };
const ids = { fermeProject: 0, sharedProject: 0, sudProject: 0, share: 0 };
const PNG = solidPng(3, 2);

beforeAll(async () => {
	mediaDir = mkdtempSync(join(tmpdir(), 'bknd-media-test-'));
	t = await startTestBknd({ mediaDir });
	const emails = ['admin@fata.plus', 'designer@fata.plus', 'client@ferme-verte.mg', 'client@atelier-sud.mg', 'partner@studio-partenaire.mg'];
	[tokens.admin, tokens.designer, tokens.clientFerme, tokens.clientSud, tokens.partner] = await Promise.all(emails.map((e) => t.login(e)));
	const clients = (await t.call('GET', '/api/data/entity/clients', { token: tokens.admin })).body.data as any[];
	const projects = (await t.call('GET', '/api/data/entity/projects', { token: tokens.admin, query: { limit: 100, sort: 'id' } })).body.data as any[];
	const share = (await t.call('GET', '/api/data/entity/project_shares', { token: tokens.admin, query: { where: { revoked_at: { $isnull: true } } } })).body.data[0];
	const tenant = (slug: string) => clients.find((c) => c.slug === slug).id;
	ids.share = share.id;
	ids.sharedProject = share.projects_id;
	ids.fermeProject = projects.find((p) => p.clients_id === tenant('ferme-verte') && p.id !== share.projects_id).id;
	ids.sudProject = projects.find((p) => p.clients_id === tenant('atelier-sud')).id;
}, 60_000);

afterAll(async () => {
	await t?.stop();
	if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
});

interface Answer {
	status: number;
	headers: Headers;
	bytes: Uint8Array;
	json: any;
}

async function send(method: string, path: string, token: string | undefined, body?: BodyInit, headers: Record<string, string> = {}): Promise<Answer> {
	const res = await fetch(t.bknd.url + path, { method, body, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
	const bytes = new Uint8Array(await res.arrayBuffer());
	let json: any;
	try {
		json = JSON.parse(new TextDecoder().decode(bytes));
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, bytes, json };
}

/** A multipart upload as browsers send it: field `file`, the client's own name and type (which must not matter). */
function upload(token: string | undefined, projectId: number, bytes: Uint8Array<ArrayBuffer>, fileName = 'maquette.png', type = 'image/png'): Promise<Answer> {
	const form = new FormData();
	form.append('file', new Blob([bytes], { type }), fileName);
	return send('POST', `/api/media/upload?project=${projectId}`, token, form);
}

const read = (name: string, token: string | undefined) => send('GET', `/api/media/file/${name}`, token);
const filesOnDisk = () => readdirSync(mediaDir).sort();
/** Files anywhere near the media folder and the database, to prove nothing was written outside. */
const filesAround = () => [...readdirSync(dirname(mediaDir)), ...readdirSync(t.dir)].sort();

describe('uploads', () => {
	it('MEDIA-UP-1 staff upload an image: the server names it after the project and stores it in the media folder', async () => {
		for (const token of [tokens.designer, tokens.admin]) {
			const res = await upload(token, ids.fermeProject, PNG, '../../../évil name.png');
			expect(res.status).toBe(201);
			const name = parseMediaName(res.json.name);
			expect(name).toEqual({ projectId: ids.fermeProject, extension: 'png', contentType: 'image/png' });
			expect(res.json.meta).toMatchObject({ type: 'image/png', size: PNG.byteLength });
			expect(new Uint8Array(readFileSync(join(mediaDir, res.json.name)))).toEqual(PNG);
		}
		// bknd recorded it in its media entity (admin only: the guard denies `media` rows to everyone else).
		const rows = await t.call('GET', '/api/data/entity/media', { token: tokens.admin });
		expect(rows.body.data.length).toBeGreaterThanOrEqual(2);
		expect((await t.call('GET', '/api/data/entity/media', { token: tokens.designer })).status).toBe(403);
	});

	it('MEDIA-UP-2 a client, a partner or an anonymous caller must never upload (403), and nothing is written', async () => {
		const before = filesOnDisk();
		for (const token of [tokens.clientFerme, tokens.partner, undefined]) {
			expect((await upload(token, ids.sharedProject, PNG)).status).toBe(403);
			expect((await send('POST', `/api/media/upload?project=${ids.sharedProject}`, token, PNG, { 'content-type': 'image/png' })).status).toBe(403);
		}
		expect(filesOnDisk()).toEqual(before);
	});

	it('MEDIA-UP-3 a client-chosen name must never be used, even by staff (bknd\'s own named and entity uploads are closed)', async () => {
		const before = filesOnDisk();
		const form = () => {
			const f = new FormData();
			f.append('file', new Blob([PNG], { type: 'image/png' }), 'x.png');
			return f;
		};
		for (const token of [tokens.admin, tokens.designer]) {
			expect((await send('POST', `/api/media/upload/p${ids.fermeProject}-${'a'.repeat(32)}.png`, token, form())).status).toBe(400);
			expect((await send('POST', '/api/media/upload/chosen.png', token, form())).status).toBe(400);
			expect((await send('POST', `/api/media/entity/projects/${ids.fermeProject}/image`, token, form())).status).toBe(403);
			expect((await send('POST', '/api/media/inspect', token, form())).status).toBe(404);
		}
		expect(filesOnDisk()).toEqual(before);
	});

	it('MEDIA-UP-4 an upload must never name a project that is not there or not a number', async () => {
		for (const project of ['', '0', '-1', '1.5', '..%2F1', '99999']) {
			const res = await send('POST', `/api/media/upload?project=${project}`, tokens.designer, PNG, { 'content-type': 'image/png' });
			expect(res.status, project).toBe(project === '99999' ? 404 : 400);
		}
	});
});

describe('names', () => {
	it('MEDIA-NAME-1 a traversal, backslash, NUL, absolute or odd name must never reach the disk, in upload or read', async () => {
		const beforeAround = filesAround();
		const before = filesOnDisk();
		for (const path of [
			'/api/media/upload/..%2F..%2Fescape.png',
			'/api/media/upload/%2e%2e%2fescape.png',
			'/api/media/upload/..%5Cescape.png',
			'/api/media/upload/escape.png%00.txt'
		]) {
			const res = await send('POST', path, tokens.admin, PNG, { 'content-type': 'image/png' });
			expect(res.status, path).toBe(400);
		}
		for (const path of [
			'/api/media/file/..%2Fbknd.sqlite',
			'/api/media/file/%2e%2e%2fbknd.sqlite',
			'/api/media/file/..%5Cbknd.sqlite',
			'/api/media/file/..',
			'/api/media/file/%2Fetc%2Fpasswd',
			`/api/media/file/p${ids.fermeProject}-${'a'.repeat(32)}.png%00`,
			`/api/media/file/p${ids.fermeProject}-${'a'.repeat(32)}.svg`,
			'/api/media/file/bknd.sqlite',
			'/api/media/file/'
		]) {
			for (const token of [tokens.admin, tokens.clientFerme]) {
				const res = await read(path.slice('/api/media/file/'.length), token);
				expect(res.status, path).toBeGreaterThanOrEqual(400);
				expect(res.status, path).toBeLessThan(500);
				expect(new TextDecoder().decode(res.bytes), path).not.toContain('SQLite');
			}
		}
		expect(filesOnDisk()).toEqual(before);
		expect(filesAround()).toEqual(beforeAround);
	});
});

describe('types and sizes', () => {
	it('MEDIA-TYPE-1 an svg must never be stored, whatever it is called (415)', async () => {
		const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>');
		const before = filesOnDisk();
		expect((await upload(tokens.designer, ids.fermeProject, svg, 'logo.svg', 'image/svg+xml')).status).toBe(415);
		expect((await upload(tokens.designer, ids.fermeProject, svg, 'logo.png', 'image/png')).status).toBe(415);
		expect((await send('POST', `/api/media/upload?project=${ids.fermeProject}`, tokens.admin, svg, { 'content-type': 'image/svg+xml' })).status).toBe(415);
		expect(filesOnDisk()).toEqual(before);
	});

	it('MEDIA-TYPE-2 a text file named .png must never be stored (415, checked by its bytes)', async () => {
		const before = filesOnDisk();
		const res = await upload(tokens.designer, ids.fermeProject, new TextEncoder().encode('just some text, not a picture'), 'photo.png', 'image/png');
		expect(res.status).toBe(415);
		expect(res.json.error).toMatch(/PNG, JPEG, WebP and GIF/);
		expect(filesOnDisk()).toEqual(before);
	});

	it('MEDIA-SIZE-1 an image over 5 MiB must never be stored (413), nor an empty one (400)', async () => {
		const before = filesOnDisk();
		const big = new Uint8Array(MAX_MEDIA_BYTES + 1);
		big.set(PNG.subarray(0, 8));
		const multipart = await upload(tokens.designer, ids.fermeProject, big, 'big.png');
		expect(multipart.status).toBe(413);
		expect(multipart.json.error).toMatch(/larger than 5 MB/);
		const raw = await send('POST', `/api/media/upload?project=${ids.fermeProject}`, tokens.designer, big, { 'content-type': 'image/png' });
		expect(raw.status).toBe(413);
		expect((await upload(tokens.designer, ids.fermeProject, new Uint8Array(), 'empty.png')).status).toBe(400);
		expect(filesOnDisk()).toEqual(before);
	});
});

describe('reads', () => {
	let fermeImage = '';
	let sharedImage = '';

	beforeAll(async () => {
		fermeImage = (await upload(tokens.designer, ids.fermeProject, PNG)).json.name;
		sharedImage = (await upload(tokens.designer, ids.sharedProject, PNG)).json.name;
	});

	it('MEDIA-READ-1 staff and the project\'s own client read the bytes, privately (never a public cache, never sniffed)', async () => {
		for (const token of [tokens.admin, tokens.designer, tokens.clientFerme]) {
			const res = await read(fermeImage, token);
			expect(res.status).toBe(200);
			expect(res.bytes).toEqual(PNG);
			expect(res.headers.get('content-type')).toBe('image/png');
			expect(res.headers.get('cache-control')).toMatch(/^private/);
			expect(res.headers.get('cache-control')).not.toMatch(/public/);
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		}
	});

	it('MEDIA-READ-2 a client of another tenant must never read a project\'s image (404, no bytes), nor an anonymous caller', async () => {
		for (const name of [fermeImage, sharedImage]) {
			for (const token of [tokens.clientSud, undefined]) {
				const res = await read(name, token);
				expect(res.status).toBeGreaterThanOrEqual(403);
				expect(res.status).toBeLessThanOrEqual(404);
				expect(res.headers.get('content-type')).not.toMatch(/^image\//);
				expect(res.bytes.length).toBeLessThan(200);
				expect(Buffer.from(res.bytes).includes(Buffer.from(PNG.subarray(0, 8)))).toBe(false);
			}
		}
		// A name for an unknown project answers the same as someone else's project: existence is not revealed.
		const unknown = await read(`p99999-${'a'.repeat(32)}.png`, tokens.clientSud);
		expect(unknown.status).toBe(404);
	});

	it('MEDIA-READ-3 listing and deleting media must never be open to clients or partners (403)', async () => {
		for (const token of [tokens.clientFerme, tokens.clientSud, tokens.partner, undefined]) {
			expect((await send('GET', '/api/media/files', token)).status).toBe(403);
			expect((await send('DELETE', `/api/media/file/${fermeImage}`, token)).status).toBe(403);
		}
		expect(filesOnDisk()).toContain(fermeImage);
		const list = await send('GET', '/api/media/files', tokens.designer);
		expect(list.status).toBe(200);
		expect(list.json.map((f: { key: string }) => f.key)).toContain(fermeImage);
	});

	it('MEDIA-READ-4 staff delete an image; it is gone for everyone', async () => {
		const name = (await upload(tokens.designer, ids.fermeProject, PNG)).json.name;
		expect((await send('DELETE', `/api/media/file/${name}`, tokens.designer)).status).toBe(200);
		expect(filesOnDisk()).not.toContain(name);
		expect((await read(name, tokens.designer)).status).toBe(404);
	});

	it('MEDIA-READ-5 a partner reads the image of a project shared with it, never one not shared (404)', async () => {
		const shared = await read(sharedImage, tokens.partner);
		expect(shared.status).toBe(200);
		expect(shared.bytes).toEqual(PNG);
		const notShared = await read(fermeImage, tokens.partner);
		expect(notShared.status).toBe(404);
		expect(notShared.bytes.length).toBeLessThan(200);
	});

	// Last: it revokes the demo share.
	it('MEDIA-READ-6 a partner whose share is revoked must never read the image again, same token (404, no bytes)', async () => {
		const revoke = await t.call('PATCH', `/api/data/entity/project_shares/${ids.share}`, { token: tokens.admin, body: { revoked_at: new Date().toISOString() } });
		expect(revoke.status).toBe(200);
		const res = await read(sharedImage, tokens.partner);
		expect(res.status).toBe(404);
		expect(res.headers.get('content-type')).not.toMatch(/^image\//);
		expect(res.bytes.length).toBeLessThan(200);
		// The project's own client still reads it: the revocation took the partner's access only.
		expect((await read(sharedImage, tokens.clientFerme)).status).toBe(200);
	});
});
