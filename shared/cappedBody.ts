// The one way every server of ours (web, rooms, bknd) reads a request body under a size cap. The declared
// content-length is not trusted: the stream is counted as it arrives and nothing past the cap is kept.
//
// One drain policy: a refused body is read to its end and thrown away, up to DRAIN_LIMIT bytes, before the 413 is
// sent, so the sender gets the answer instead of a connection reset while it is still sending (cancelling such a
// body also made wrangler's local proxy answer the next request with 503 "worker restarted mid-request"). Past
// DRAIN_LIMIT, or when the declared length is already past it, the body is cancelled at once.

/** How much of a refused body is read and dropped before answering (see above). */
export const DRAIN_LIMIT = 4 * 1024 * 1024;

/** What the readers need of a Request (the web platform's, in browsers, workerd and Node alike). */
export interface BodyRequest {
	headers: { get(name: string): string | null };
	body: { getReader(): BodyReader; cancel(reason?: unknown): Promise<void> } | null;
}
interface BodyReader {
	read(): Promise<{ done: boolean; value?: Uint8Array }>;
	cancel(reason?: unknown): Promise<void>;
}

export type CappedBytes = { ok: true; bytes: Uint8Array } | { ok: false; status: 413 };
export type CappedText = { ok: true; text: string } | { ok: false; status: 400 | 413 };
export type CappedJson = { ok: true; value: unknown } | { ok: false; status: 400 | 413 };

/** The body's bytes, or 413 when it is over `limit` bytes. A missing body is empty. */
export async function readCappedBytes(request: BodyRequest, limit: number): Promise<CappedBytes> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (Number.isFinite(declared) && declared > limit) {
		if (request.body) await drain(request.body.getReader(), declared <= DRAIN_LIMIT ? DRAIN_LIMIT : 0);
		return { ok: false, status: 413 };
	}
	if (!request.body) return { ok: true, bytes: new Uint8Array() };
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done || !value) break;
		size += value.byteLength;
		if (size > limit) {
			await drain(reader, DRAIN_LIMIT - size);
			return { ok: false, status: 413 };
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) bytes.set(chunk, offset), (offset += chunk.byteLength);
	return { ok: true, bytes };
}

/** The body as UTF-8 text: 413 over `limit` bytes, 400 when it is not valid UTF-8. */
export async function readCappedText(request: BodyRequest, limit: number): Promise<CappedText> {
	const read = await readCappedBytes(request, limit);
	if (!read.ok) return read;
	try {
		return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(read.bytes) };
	} catch {
		return { ok: false, status: 400 };
	}
}

/** The body as JSON: 413 over `limit` bytes, 400 when it is empty, not UTF-8 or not JSON. */
export async function readCappedJson(request: BodyRequest, limit: number): Promise<CappedJson> {
	const read = await readCappedText(request, limit);
	if (!read.ok) return read;
	try {
		return { ok: true, value: JSON.parse(read.text) };
	} catch {
		return { ok: false, status: 400 };
	}
}

/** Reads and drops up to `budget` more bytes, then cancels whatever is left. */
async function drain(reader: BodyReader, budget: number): Promise<void> {
	let left = budget;
	while (left > 0) {
		const { done, value } = await reader.read();
		if (done || !value) return;
		left -= value.byteLength;
	}
	await reader.cancel();
}
