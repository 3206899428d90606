import { registries, type FileBody, type FileListObject, type FileMeta } from 'bknd';
import { StorageR2Adapter } from 'bknd/adapter/cloudflare';
import { MAX_MEDIA_BYTES, MEDIA_NAME_PATTERN, parseMediaName } from '../shared/mediaNames';

// Media (frame images) in R2 on the Worker: bknd's own R2 adapter, restricted like LocalMediaAdapter.ts to names
// of the one shape shared/mediaNames.ts defines, whatever the middleware in front of it (mediaRules.ts) let
// through: any other key (`..`, `\`, another folder) is refused before R2 is asked. R2 keys are flat, so a
// traversal could not leave the bucket, but it could read or overwrite another object's key.

/** The adapter's type in bknd's `media.adapter` config on the Worker. */
export const R2_MEDIA_ADAPTER = 'fataplus-r2';

type Bucket = ConstructorParameters<typeof StorageR2Adapter>[0];

export class R2MediaAdapter extends StorageR2Adapter {
	getName(): string {
		return R2_MEDIA_ADAPTER;
	}

	async putObject(key: string, body: FileBody): Promise<string | undefined> {
		if (!parseMediaName(key)) throw new Error(`refused media name ${JSON.stringify(key)}`);
		const bytes = new Uint8Array(await new Response(body instanceof ReadableStream ? body : (body as Blob).stream()).arrayBuffer());
		if (bytes.byteLength > MAX_MEDIA_BYTES) throw new Error(`media ${key} is larger than ${MAX_MEDIA_BYTES} bytes`);
		// Names are random and chosen by the server: never overwrite an object that exists.
		if (await super.objectExists(key)) throw new Error(`media ${key} exists`);
		return super.putObject(key, bytes as unknown as FileBody);
	}

	async listObjects(prefix?: string): Promise<FileListObject[]> {
		return (await super.listObjects(prefix)).filter((o) => MEDIA_NAME_PATTERN.test(o.key));
	}

	async objectExists(key: string): Promise<boolean> {
		return parseMediaName(key) ? super.objectExists(key) : false;
	}

	async getObject(key: string, headers: Headers): Promise<Response> {
		return parseMediaName(key) ? super.getObject(key, headers) : new Response(null, { status: 404 });
	}

	async getObjectMeta(key: string): Promise<FileMeta> {
		if (!parseMediaName(key)) throw new Error(`refused media name ${JSON.stringify(key)}`);
		return super.getObjectMeta(key);
	}

	async deleteObject(key: string): Promise<void> {
		if (parseMediaName(key)) await super.deleteObject(key);
	}

	getObjectUrl(_key: string): string {
		// Files are private: they are read through the media route, never from a public URL.
		throw new Error('R2 media has no public URL: read it through GET /api/media/file/:name');
	}

	toJSON(_secrets?: boolean) {
		return { type: R2_MEDIA_ADAPTER, config: { binding: 'MEDIA' } };
	}
}

/** Makes the adapter known to bknd with this bucket (the Worker's MEDIA binding); call before the app builds. */
export function registerR2MediaAdapter(bucket: Bucket): void {
	registries.media.register(
		R2_MEDIA_ADAPTER,
		class extends R2MediaAdapter {
			constructor() {
				super(bucket);
			}
		}
	);
}
