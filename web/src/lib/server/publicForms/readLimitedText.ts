/** The public forms' body limit (issue 5: 64 KiB). */
export const PUBLIC_BODY_LIMIT = 64 * 1024;

/**
 * A refused body is read to its end (and thrown away) up to this size before answering 413. Cancelling a body
 * the client is still sending made wrangler's local proxy answer the next request with 503 "worker restarted
 * mid-request"; past this size we stop reading anyway.
 */
const DRAIN_LIMIT = 1024 * 1024;

export type LimitedText = { ok: true; text: string } | { ok: false; status: 400 | 413 };

/**
 * A UTF-8 body of at most `limit` bytes. The declared length is not trusted: the stream is counted and cut at
 * the limit, so a client that lies about (or omits) `content-length` cannot make us buffer more.
 */
export async function readLimitedText(request: Request, limit = PUBLIC_BODY_LIMIT): Promise<LimitedText> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > limit) {
		if (request.body) await drain(request.body.getReader(), declared <= DRAIN_LIMIT ? DRAIN_LIMIT : 0);
		return { ok: false, status: 413 };
	}
	if (!request.body) return { ok: true, text: '' };
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			await drain(reader, DRAIN_LIMIT - size);
			return { ok: false, status: 413 };
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	try {
		return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
	} catch {
		return { ok: false, status: 400 };
	}
}

/** Reads and drops up to `budget` more bytes, then cancels whatever is left. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<void> {
	let left = budget;
	while (left > 0) {
		const { done, value } = await reader.read();
		if (done) return;
		left -= value.byteLength;
	}
	await reader.cancel();
}
