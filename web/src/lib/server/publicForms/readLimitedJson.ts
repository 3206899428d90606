/** The public forms' body limit (issue 5: 64 KiB). */
export const PUBLIC_BODY_LIMIT = 64 * 1024;

export type LimitedJson = { ok: true; value: unknown } | { ok: false; status: 400 | 413 };

/**
 * Reads a JSON body of at most `limit` bytes. The declared length is not trusted: the stream is counted and
 * cut at the limit, so a client that lies about (or omits) `content-length` cannot make us buffer more.
 */
export async function readLimitedJson(request: Request, limit = PUBLIC_BODY_LIMIT): Promise<LimitedJson> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > limit) {
		await request.body?.cancel();
		return { ok: false, status: 413 };
	}
	if (!request.body) return { ok: false, status: 400 };
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			await reader.cancel();
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
		return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
	} catch {
		return { ok: false, status: 400 };
	}
}
