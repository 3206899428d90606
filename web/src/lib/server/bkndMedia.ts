import { z } from 'zod';
import { MEDIA_IMAGE_TYPES, parseMediaName, type MediaExtension } from '$shared/mediaNames';
import { BkndUnavailableError } from './bknd';
import type { ServerEnv } from './env';
import { bkndFetch } from './backends';

// bknd's media module (bknd/mediaRules.ts), spoken to with plain fetch: the SDK's JSON helpers do not fit
// binary bodies. Like bknd.ts, every call carries the signed-in user's own token, so bknd decides again
// (staff-only upload, per-project reads) whatever this app decided first.

/** An upload may take longer than a data read. */
const TIMEOUT_MS = 20_000;

const uploadAnswerSchema = z.object({ name: z.string() });

export type StoredMedia = { ok: true; name: string } | { ok: false; status: number };

async function mediaFetch(env: ServerEnv, what: string, url: string, init: RequestInit): Promise<Response> {
	let res: Response;
	try {
		res = await bkndFetch(env)(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
	} catch (error) {
		throw new BkndUnavailableError(`bknd unreachable (${what})`, { cause: error });
	}
	if (res.status >= 500) {
		await res.body?.cancel();
		throw new BkndUnavailableError(`bknd answered ${res.status} (${what})`);
	}
	return res;
}

/** Stores checked image bytes for `projectId` as the user; bknd chooses the name (`p<project>-<random>.<ext>`). */
export async function uploadMedia(env: ServerEnv, token: string, projectId: number, bytes: Uint8Array<ArrayBuffer>, extension: MediaExtension): Promise<StoredMedia> {
	const res = await mediaFetch(env, 'media upload', `${env.BKND_URL}/api/media/upload?project=${projectId}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': MEDIA_IMAGE_TYPES[extension] },
		body: bytes
	});
	const body: unknown = await res.json().catch(() => null);
	const name = uploadAnswerSchema.safeParse(body).data?.name;
	// The name must be one we can serve back, for the project asked: anything else is not a success.
	if (res.status !== 201 || !name || parseMediaName(name)?.projectId !== projectId) return { ok: false, status: res.status === 201 ? 502 : res.status };
	return { ok: true, name };
}

/** bknd's answer for a stored file read as the user (the caller streams its body), or `null` when bknd refuses it. */
export async function fetchMedia(env: ServerEnv, token: string, name: string): Promise<Response | null> {
	const res = await mediaFetch(env, 'media read', `${env.BKND_URL}/api/media/file/${encodeURIComponent(name)}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	if (res.status !== 200 || !res.body) {
		await res.body?.cancel();
		return null;
	}
	return res;
}
