import { readCappedText } from '$shared/cappedBody';
import { PUBLIC_BODY_LIMIT } from '$shared/publicApi';

export type LimitedForm = { ok: true; values: Record<string, string> } | { ok: false; status: 400 | 413 };

/**
 * A url-encoded form post of at most `limit` bytes (the no-JavaScript path of the application form), counted
 * as it streams in (readCappedText): the declared length is not trusted. Only the first value of a name is
 * kept, and only text (a file upload is not a form we sent).
 */
export async function readLimitedForm(request: Request, limit = PUBLIC_BODY_LIMIT): Promise<LimitedForm> {
	const type = request.headers.get('content-type') ?? '';
	if (!type.startsWith('application/x-www-form-urlencoded')) {
		await request.body?.cancel();
		return { ok: false, status: 400 };
	}
	const body = await readCappedText(request, limit);
	if (!body.ok) return body;
	const text = body.text;
	// A Map first: a field named `__proto__` must stay a field, never reach the object's prototype.
	const values = new Map<string, string>();
	for (const [name, value] of new URLSearchParams(text)) if (!values.has(name)) values.set(name, value);
	return { ok: true, values: Object.fromEntries(values) };
}
