import { z } from 'zod';
import { MAX_MEDIA_BYTES, MULTIPART_OVERHEAD_BYTES, sniffImageType, type MediaExtension } from '../../../../shared/mediaNames';
import type { MessageKey } from '../i18n';

/** An image upload as the browser sent it, checked the way bknd checks it again (bknd/mediaRules.ts). */
export type ImageUpload =
	| { ok: true; bytes: Uint8Array<ArrayBuffer>; extension: MediaExtension }
	| { ok: false; status: 400 | 413 | 415; key: MessageKey };

/** The multipart form: one field `file` holding a non-empty file (its name and declared type are not trusted). */
const uploadFormSchema = z.object({
	file: z.instanceof(File).refine((file) => file.size > 0, 'empty file')
});

/** Body bytes accepted at most: one image of MAX_MEDIA_BYTES and its multipart envelope. */
const BODY_CAP = MAX_MEDIA_BYTES + MULTIPART_OVERHEAD_BYTES;
/** How much of an oversize body is read and thrown away, so the browser gets the 413 rather than a reset. */
const DRAIN_LIMIT = 8 * BODY_CAP;

/**
 * Reads a multipart image upload (field `file`): at most 5 MiB, and png/jpeg/webp/gif by its bytes, never
 * by its name or declared type (an SVG or a text file named `.png` is refused).
 */
export async function readImageUpload(request: Request): Promise<ImageUpload> {
	const contentType = request.headers.get('content-type') ?? '';
	if (!/^multipart\/form-data\s*;/i.test(contentType)) return { ok: false, status: 415, key: 'api.imageMissing' };
	const declared = Number(request.headers.get('content-length') ?? NaN);
	const body = await readCapped(request, BODY_CAP, Number.isFinite(declared) && declared > BODY_CAP);
	if (!body) return { ok: false, status: 413, key: 'api.imageTooLarge' };

	let form: FormData;
	try {
		form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
	} catch {
		return { ok: false, status: 400, key: 'api.imageMissing' };
	}
	const parsed = uploadFormSchema.safeParse({ file: form.get('file') });
	if (!parsed.success) return { ok: false, status: 400, key: 'api.imageMissing' };
	if (parsed.data.file.size > MAX_MEDIA_BYTES) return { ok: false, status: 413, key: 'api.imageTooLarge' };
	const bytes = new Uint8Array(await parsed.data.file.arrayBuffer());
	const extension = sniffImageType(bytes);
	if (!extension) return { ok: false, status: 415, key: 'api.imageType' };
	return { ok: true, bytes, extension };
}

/** The body, or `null` once it passes `cap` (the rest is drained up to a bound, then the stream is cancelled). */
async function readCapped(request: Request, cap: number, alreadyOver: boolean): Promise<Uint8Array<ArrayBuffer> | null> {
	if (!request.body) return new Uint8Array();
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	let over = alreadyOver;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > cap) over = true;
		if (!over) chunks.push(value);
		else if (total > DRAIN_LIMIT) {
			await reader.cancel().catch(() => undefined);
			break;
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
