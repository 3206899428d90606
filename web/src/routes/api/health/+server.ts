import { json, type RequestHandler } from '@sveltejs/kit';
import { bkndReachable } from '$lib/server/bknd';
import { getEnv } from '$lib/server/env';

/** Each dependency gets this long to answer anything at all. */
const TIMEOUT_MS = 2_000;

async function answers(url: string): Promise<boolean> {
	try {
		await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
		return true;
	} catch {
		return false;
	}
}

/** `{ ok, bknd, rooms }`: whether bknd and the rooms worker answer HTTP; 503 unless both do. */
export const GET: RequestHandler = async ({ platform }) => {
	const env = getEnv(platform);
	const [bknd, rooms] = await Promise.all([bkndReachable(env, TIMEOUT_MS), answers(env.ROOMS_INTERNAL_URL)]);
	const ok = bknd && rooms;
	return json({ ok, bknd, rooms }, { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
