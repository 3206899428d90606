export type CappedJson = { ok: true; value: unknown } | { ok: false; status: 400 | 413 };

/**
 * A JSON body of at most `limit` bytes, counted as it streams in: the declared length is not trusted, and no body
 * is buffered past the limit. Every JSON route of ours reads its body here (bodies of bknd's own routes are bknd's).
 */
export async function readCappedJson(request: Request, limit: number): Promise<CappedJson> {
	if (Number(request.headers.get('content-length') ?? '0') > limit) return { ok: false, status: 413 };
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
	try {
		return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))) };
	} catch {
		return { ok: false, status: 400 };
	}
}
