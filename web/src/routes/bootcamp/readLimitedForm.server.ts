import { PUBLIC_BODY_LIMIT } from '$lib/server/publicForms/readLimitedJson';

export type LimitedForm = { ok: true; values: Record<string, string> } | { ok: false; status: 400 | 413 };

/**
 * A url-encoded form post of at most `limit` bytes (the no-JavaScript path of the application form), counted
 * as it streams in like readLimitedJson: the declared length is not trusted. Only the first value of a name is
 * kept, and only text (a file upload is not a form we sent).
 */
export async function readLimitedForm(request: Request, limit = PUBLIC_BODY_LIMIT): Promise<LimitedForm> {
	const type = request.headers.get('content-type') ?? '';
	if (!type.startsWith('application/x-www-form-urlencoded')) {
		await request.body?.cancel();
		return { ok: false, status: 400 };
	}
	if (Number(request.headers.get('content-length') ?? '0') > limit) {
		await request.body?.cancel();
		return { ok: false, status: 413 };
	}
	if (!request.body) return { ok: true, values: {} };
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
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return { ok: false, status: 400 };
	}
	// A Map first: a field named `__proto__` must stay a field, never reach the object's prototype.
	const values = new Map<string, string>();
	for (const [name, value] of new URLSearchParams(text)) if (!values.has(name)) values.set(name, value);
	return { ok: true, values: Object.fromEntries(values) };
}
