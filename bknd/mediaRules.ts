import { randomBytes } from 'node:crypto';
import type { App, ModuleConfigs } from 'bknd';
import { projectAccess } from '../shared/access';
import {
	MAX_MEDIA_BYTES,
	MEDIA_IMAGE_TYPES,
	MEDIA_RANDOM_HEX_LENGTH,
	MULTIPART_OVERHEAD_BYTES,
	mediaName,
	parseMediaName,
	sniffImageType,
	type MediaName
} from '../shared/mediaNames';
import { isStaff, type Role } from '../shared/roles';
import { positiveOrNull, readProjectShares } from './projectShares';
import type { BkndContext, BkndNext, RequestUser } from './serverTypes';

// Who may do what under `/api/media` (bknd's media module, LocalMediaAdapter.ts). bknd's `media.file.read`
// is ONE global permission (docs/bknd.md): the guard cannot say "files of projects I may see". So every media
// request goes through `mediaRules`, called by hardening.ts right after the caller is resolved (before the
// admin and staff shortcuts: the name and type rules hold for everyone), and the file name carries the
// project (shared/mediaNames.ts, `p<projectId>-<random>.<ext>`):
//
//   POST   /api/media/upload?project=<id>  staff (admin, designer) only; multipart field `file` or a raw body;
//                                          png/jpeg/webp/gif by their bytes (never svg), at most 5 MiB;
//                                          the server names the file; answers 201 { name, meta, etag }
//   GET    /api/media/file/<name>          whoever may enter the project in the name (shared/access.ts:
//                                          staff; the tenant's clients; a partner with a live share), else 404
//   GET    /api/media/files                staff only (bknd's list)
//   DELETE /api/media/file/<name>          staff only
//   anything else under /api/media         refused: bknd's own upload (`/upload/<name>`: a caller-chosen name
//                                          that could overwrite or misfile), `/entity/...` (random names
//                                          without a project), `/inspect`, unknown routes
//
// Names are checked against one strict pattern in upload and read (no `..`, `/`, `\`, NUL, `%`, absolute
// names); hardening.ts refuses `..`, `\` and encoded slashes in any path before this runs.

type Verdict = Promise<Response | undefined>;

const UPLOAD = /^\/api\/media\/upload\/?$/;
const UPLOAD_NAMED = /^\/api\/media\/upload\/./;
const FILE = /^\/api\/media\/file\/([^/]*)\/?$/;
const LIST = /^\/api\/media\/files\/?$/;
const ENTITY_UPLOAD = /^\/api\/media\/entity(\/|$)/;
const PROJECT_ID = /^[1-9][0-9]{0,9}$/;
/** How much of an oversize body is read (and thrown away) so the client gets the 413 instead of a reset. */
const DRAIN_LIMIT = 8 * (MAX_MEDIA_BYTES + MULTIPART_OVERHEAD_BYTES);

/** Whether `path` is under bknd's media module (any spelling: unknown shapes are refused, not passed on). */
export function isMediaPath(path: string): boolean {
	return /^\/api\/media(\/|$)/i.test(path);
}

/**
 * Decides a request under `/api/media` (see above): answers a refusal or the upload itself, or lets bknd's
 * media controller answer (reads, lists, deletes) and makes its read answers private. Call from hardening.ts.
 */
export async function mediaRules(c: BkndContext, next: BkndNext, user: RequestUser | undefined, role: Role | undefined): Verdict {
	const method = c.req.method.toUpperCase();
	const path = c.req.path;
	const refuse = (status: 400 | 403 | 404 | 405 | 413 | 415, error: string) => c.json({ error }, status, { 'cache-control': 'no-store' });
	// Valid names need no escaping at all; anything percent-encoded is an attempt to smuggle something past a check.
	if (new URL(c.req.url).pathname.includes('%')) return refuse(400, 'Invalid media path: media names are never percent-encoded.');
	const staff = role !== undefined && isStaff(role);

	if (UPLOAD.test(path)) {
		if (method !== 'POST') return refuse(405, 'Upload with POST /api/media/upload?project=<id>.');
		if (!role) return refuse(403, 'Sign in to upload media.');
		if (!staff) return refuse(403, 'Only the agency’s staff (admin, designer) may upload media.');
		return upload(c, refuse);
	}
	if (UPLOAD_NAMED.test(path)) {
		return refuse(staff ? 400 : 403, 'Media names are chosen by the server: POST /api/media/upload?project=<id> without a name.');
	}
	if (ENTITY_UPLOAD.test(path)) {
		return refuse(403, 'Entity uploads are closed: upload with POST /api/media/upload?project=<id>.');
	}
	if (LIST.test(path)) {
		if (method !== 'GET' && method !== 'HEAD') return refuse(405, 'The media list is read with GET.');
		if (!staff) return refuse(403, 'Only the agency’s staff may list media.');
		await next();
		return undefined;
	}
	const file = FILE.exec(path);
	if (file) {
		const name = parseMediaName(file[1] ?? '');
		if (!name) return refuse(400, 'Invalid media name: expected p<project>-<32 hex digits>.<png|jpg|webp|gif>.');
		if (method === 'DELETE') {
			if (!staff) return refuse(403, 'Only the agency’s staff may delete media.');
			await next();
			return undefined;
		}
		if (method !== 'GET' && method !== 'HEAD') return refuse(405, 'Media files are read with GET.');
		// 404 whether the project is someone else's or does not exist: existence is not revealed.
		if (!role || !(await mayEnterProject(c.get('app') as App, user, role, name.projectId))) return refuse(404, 'Media not found.');
		await next();
		privateImageAnswer(c, name);
		return undefined;
	}
	return refuse(404, 'Unknown media route.');
}

/** May `user` see the project a media name belongs to? The rule of shared/access.ts, on rows read now. */
async function mayEnterProject(app: App, user: RequestUser | undefined, role: Role, projectId: number): Promise<boolean> {
	if (isStaff(role)) return true;
	const project = (await app.em.connection.kysely.selectFrom('projects').select(['id', 'clients_id']).where('id', '=', projectId).executeTakeFirst()) as
		| { id: number; clients_id: number | null }
		| undefined;
	if (!project) return false;
	// Read per request, never from the token: a revoked share stops counting at once (as partnerScope.ts).
	const shares = role === 'partner' ? await readProjectShares(app, projectId) : [];
	const viewer = { id: 1, email: '', name: '', role, clientId: positiveOrNull(user?.client_id), partnerId: positiveOrNull(user?.partner_id) };
	return projectAccess(viewer, { id: projectId, clientId: positiveOrNull(project.clients_id) }, shares) !== null;
}

/** Staff upload: checks the project, the size and the bytes, names the file, stores it through bknd's Storage. */
async function upload(c: BkndContext, refuse: (status: 400 | 404 | 413 | 415, error: string) => Response): Promise<Response> {
	const app = c.get('app') as App;
	const projectParam = new URL(c.req.url).searchParams.get('project') ?? '';
	if (!PROJECT_ID.test(projectParam)) return refuse(400, 'Say which project the image belongs to: ?project=<id>.');
	const projectId = Number(projectParam);
	const exists = await app.em.connection.kysely.selectFrom('projects').select('id').where('id', '=', projectId).executeTakeFirst();
	if (!exists) return refuse(404, 'Project not found.');

	const tooLarge = () => refuse(413, `The image is larger than ${MAX_MEDIA_BYTES / (1024 * 1024)} MB: export it smaller.`);
	const declared = Number(c.req.header('content-length') ?? NaN);
	const body = await readCapped(c.req.raw, MAX_MEDIA_BYTES + MULTIPART_OVERHEAD_BYTES, Number.isFinite(declared) ? declared : undefined);
	if (!body) return tooLarge();

	let bytes: Uint8Array<ArrayBuffer> = body;
	const contentType = (c.req.header('content-type') ?? '').toLowerCase();
	if (contentType.startsWith('multipart/form-data')) {
		let file: FormDataEntryValue | null = null;
		try {
			file = (await new Response(body, { headers: { 'content-type': contentType } }).formData()).get('file');
		} catch {
			return refuse(400, 'The multipart body could not be read.');
		}
		if (!(file instanceof File)) return refuse(400, 'Send the image in a multipart field named "file".');
		bytes = new Uint8Array(await file.arrayBuffer());
	}
	if (bytes.byteLength === 0) return refuse(400, 'The image is empty.');
	if (bytes.byteLength > MAX_MEDIA_BYTES) return tooLarge();
	// By the bytes, whatever the file name or content-type claim: an SVG or a text file named .png is refused.
	const extension = sniffImageType(bytes);
	if (!extension) return refuse(415, 'Only PNG, JPEG, WebP and GIF images are accepted (SVG never).');

	const name = mediaName(projectId, randomBytes(MEDIA_RANDOM_HEX_LENGTH / 2).toString('hex'), extension);
	// bknd's Storage: the adapter writes the file, bknd records it in its `media` entity and reads its dimensions.
	const stored = await app.module.media.storage.uploadFile(new File([bytes], name, { type: MEDIA_IMAGE_TYPES[extension] }), name);
	return c.json({ name, meta: stored.meta, etag: stored.etag }, 201, { 'cache-control': 'no-store' });
}

/**
 * The request body, or `null` when it is larger than `cap`. An oversize body is still read (up to a bound)
 * and thrown away, so the client gets the 413 instead of a connection reset while it is still sending.
 */
async function readCapped(request: Request, cap: number, declared: number | undefined): Promise<Uint8Array<ArrayBuffer> | null> {
	if (!request.body) return new Uint8Array();
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	let over = declared !== undefined && declared > cap;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > cap) over = true;
		if (over) {
			chunks.length = 0;
			if (total > DRAIN_LIMIT) {
				await reader.cancel().catch(() => undefined);
				break;
			}
		} else {
			chunks.push(value);
		}
	}
	if (over) return null;
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

/** bknd answers files `public, immutable`: these are one tenant's images, so no shared cache may keep them. */
function privateImageAnswer(c: BkndContext, name: MediaName): void {
	const res = c.res;
	const headers = new Headers(res.headers);
	headers.set('cache-control', 'private, max-age=300');
	headers.set('x-content-type-options', 'nosniff');
	headers.set('content-security-policy', "default-src 'none'; sandbox");
	if (res.status === 200) headers.set('content-type', name.contentType);
	// Hono copies the old response's headers into a new one on assignment; clearing first avoids that (hardening.ts).
	c.res = undefined as unknown as Response;
	c.res = new Response(res.body, { status: res.status, headers });
}

type RoleConfigs = NonNullable<ModuleConfigs['auth']['roles']>;

/**
 * The media permissions bknd's guard checks on its own routes, added to the roles of policies.ts. Reading is
 * granted to clients and partners because the guard cannot filter it per project: mediaRules decides that.
 */
const MEDIA_GRANTS: Partial<Record<string, readonly string[]>> = {
	designer: ['media.file.read', 'media.file.list', 'media.file.upload', 'media.file.delete'],
	client: ['media.file.read'],
	partner: ['media.file.read']
};

/** `roles` with the media permissions of MEDIA_GRANTS appended (admin has them all already). */
export function withMediaPermissions(roles: RoleConfigs): RoleConfigs {
	return Object.fromEntries(
		Object.entries(roles).map(([name, config]) => {
			const grants = MEDIA_GRANTS[name];
			if (!grants || !config.permissions) return [name, config];
			// bknd wants a role's permissions all strings or all objects: append in the role's own form.
			const asStrings = config.permissions.every((p) => typeof p === 'string');
			const added = asStrings ? grants : grants.map((permission) => ({ permission, effect: 'allow' as const }));
			return [name, { ...config, permissions: [...config.permissions, ...added] } as typeof config];
		})
	);
}
