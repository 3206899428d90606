import { json, type RequestHandler } from '@sveltejs/kit';
import { roomsFetch } from '$lib/server/backends';
import { bkndReachable } from '$lib/server/bknd';
import { getEnv, type ServerEnv } from '$lib/server/env';

/** Each dependency gets this long to answer anything at all. */
const TIMEOUT_MS = 2_000;

/** Whether the rooms worker answers HTTP at all (any status). */
async function roomsAnswer(env: ServerEnv): Promise<boolean> {
	try {
		const res = await roomsFetch(env)(env.ROOMS_INTERNAL_URL, { signal: AbortSignal.timeout(TIMEOUT_MS) });
		await res.body?.cancel();
		return true;
	} catch {
		return false;
	}
}

/** `{ ok, bknd, rooms }`: whether bknd and the rooms worker answer HTTP; 503 unless both do. */
export const GET: RequestHandler = async ({ platform }) => {
	const env = getEnv(platform);
	const [bknd, rooms] = await Promise.all([bkndReachable(env, TIMEOUT_MS), roomsAnswer(env)]);
	const ok = bknd && rooms;
	return json({ ok, bknd, rooms }, { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
