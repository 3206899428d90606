// An oversize body is read (and dropped) up to this size before answering 413, so the sender gets the answer
// instead of a connection reset while it is still sending (review HTTP API, live deliveries); past it we stop reading.
const DRAIN_LIMIT = 4 * 1024 * 1024;

/** The request body as text, or `null` when it is over `limit` bytes (never buffers more than `limit`). */
export async function readCappedBody(request: Request, limit: number): Promise<string | null> {
	const declared = Number(request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > DRAIN_LIMIT) {
		await request.body?.cancel();
		return null;
	}
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size <= limit) chunks.push(value);
		else if (size > DRAIN_LIMIT) {
			await reader.cancel();
			break;
		}
	}
	if (size > limit) return null;
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) bytes.set(chunk, offset), (offset += chunk.byteLength);
	return new TextDecoder().decode(bytes);
}
