import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { registries, StorageAdapter, type FileBody, type FileListObject, type FileMeta } from 'bknd';
import { parse, s } from 'bknd/utils';
import { MAX_MEDIA_BYTES, MEDIA_NAME_PATTERN, parseMediaName } from '../shared/mediaNames';

// bknd's media module stores files through a `StorageAdapter`. Its own local adapter lives in
// `bknd/adapter/node`, which imports node:sqlite and crashes on Node 20 (docs/bknd.md "Runtime"), and joins the
// key to its folder as given (`${path}/${key}`), so `..` in a name climbed out of it (docs/bknd.md hole 6).
// This one writes into one folder and only ever touches names of the one shape shared/mediaNames.ts defines:
// any other key is refused here, whatever the middleware in front of it (mediaRules.ts) let through.
// A file is never overwritten (`wx`): names are random and chosen by the server.

/** The adapter's type in bknd's `media.adapter` config. */
export const LOCAL_MEDIA_ADAPTER = 'fataplus-local';

const configSchema = s.object(
	{ path: s.string({ description: 'Absolute folder the files are written to (created if missing)' }) },
	{ title: 'Fataplus local disk', description: 'One local folder; names are checked against shared/mediaNames.ts', additionalProperties: false }
);

type LocalMediaConfig = { path: string };

export class LocalMediaAdapter extends StorageAdapter {
	readonly config: LocalMediaConfig;
	readonly #dir: string;

	constructor(config: Partial<LocalMediaConfig> = {}) {
		super();
		this.config = parse(configSchema, config) as LocalMediaConfig;
		this.#dir = resolve(this.config.path);
		mkdirSync(this.#dir, { recursive: true });
	}

	getName(): string {
		return LOCAL_MEDIA_ADAPTER;
	}

	// Called on the prototype by bknd's registry: must not read `this`.
	getSchema() {
		return configSchema;
	}

	async listObjects(prefix?: string): Promise<FileListObject[]> {
		const names = (await readdir(this.#dir)).filter((n) => MEDIA_NAME_PATTERN.test(n) && (!prefix || n.startsWith(prefix)));
		return Promise.all(
			names.map(async (key) => {
				const info = await stat(join(this.#dir, key));
				return { key, last_modified: info.mtime, size: info.size };
			})
		);
	}

	async putObject(key: string, body: FileBody): Promise<string> {
		const path = this.#path(key);
		if (!path) throw new Error(`refused media name ${JSON.stringify(key)}`);
		const bytes = new Uint8Array(await new Response(body instanceof ReadableStream ? body : body.stream()).arrayBuffer());
		if (bytes.byteLength > MAX_MEDIA_BYTES) throw new Error(`media ${key} is larger than ${MAX_MEDIA_BYTES} bytes`);
		await writeFile(path, bytes, { flag: 'wx' });
		return `"${createHash('sha256').update(bytes).digest('hex')}"`;
	}

	async deleteObject(key: string): Promise<void> {
		const path = this.#path(key);
		if (!path) return;
		await unlink(path).catch(() => undefined);
	}

	async objectExists(key: string): Promise<boolean> {
		const path = this.#path(key);
		return path ? (await stat(path).catch(() => null))?.isFile() === true : false;
	}

	async getObject(key: string, _headers: Headers): Promise<Response> {
		const path = this.#path(key);
		const name = parseMediaName(key);
		if (!path || !name) return new Response(null, { status: 404 });
		try {
			const bytes = new Uint8Array(await readFile(path));
			return new Response(bytes, { status: 200, headers: { 'content-type': name.contentType, 'content-length': String(bytes.byteLength) } });
		} catch {
			return new Response(null, { status: 404 });
		}
	}

	getObjectUrl(_key: string): string {
		// Files are private: they are read through the media route, never from a public URL.
		throw new Error('local media has no public URL: read it through GET /api/media/file/:name');
	}

	async getObjectMeta(key: string): Promise<FileMeta> {
		const path = this.#path(key);
		const name = parseMediaName(key);
		if (!path || !name) throw new Error(`refused media name ${JSON.stringify(key)}`);
		return { type: name.contentType, size: (await stat(path)).size };
	}

	toJSON(_secrets?: boolean) {
		return { type: LOCAL_MEDIA_ADAPTER, config: this.config };
	}

	/** The file's path for a valid name, `null` for anything else (and never outside the folder). */
	#path(key: string): string | null {
		if (!parseMediaName(key)) return null;
		const path = join(this.#dir, key);
		return path.startsWith(this.#dir + sep) ? path : null;
	}
}

/** Makes the adapter known to bknd (idempotent); call before bknd builds its modules. */
export function registerLocalMediaAdapter(): void {
	registries.media.register(LOCAL_MEDIA_ADAPTER, LocalMediaAdapter);
}
