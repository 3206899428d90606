import { PUBLIC_BODY_LIMIT, readLimitedText } from './readLimitedText';

export { PUBLIC_BODY_LIMIT };

export type LimitedJson = { ok: true; value: unknown } | { ok: false; status: 400 | 413 };

/** A JSON body of at most `limit` bytes (see readLimitedText): 413 over it, 400 for an empty or invalid body. */
export async function readLimitedJson(request: Request, limit = PUBLIC_BODY_LIMIT): Promise<LimitedJson> {
	const body = await readLimitedText(request, limit);
	if (!body.ok) return body;
	try {
		return { ok: true, value: JSON.parse(body.text) };
	} catch {
		return { ok: false, status: 400 };
	}
}
