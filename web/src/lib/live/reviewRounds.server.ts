import { projectRoomId, roomPath } from '$shared/roomNames';
import { signRoomToken, type RoomTokenSubject } from '$shared/roomToken';
import type { ServerEnv } from '$lib/server/env';
import { parseRounds, type RoundSummary } from './approvals';
import { roomsFetch } from '$lib/server/backends';

/** Each project room gets this long to answer; a slow one only leaves its rounds out. */
const ROUNDS_TIMEOUT_MS = 3_000;
/** Rooms asked at once, so a tenant with many projects does not open dozens of connections in one load. */
const CONCURRENCY = 6;

/**
 * The review rounds of `projectIds` of `tenant`, read from each project room's review API (`GET
 * /ws/project/<tenant>.<id>/rounds`) with a room token signed here for the viewer: the room shows them
 * what they may see (clients: client-lane rounds only). `null` when no room answered at all.
 * `subject` must be the viewer's subject for `tenant` (its `projects` list admits every project room there).
 */
export async function readRounds(env: ServerEnv, subject: RoomTokenSubject, tenant: string, projectIds: readonly number[]): Promise<RoundSummary[] | null> {
	if (projectIds.length === 0) return [];
	const { token } = await signRoomToken(subject, env.ROOM_TOKEN_SECRET);
	const results: Array<RoundSummary[] | null> = [];
	const queue = [...projectIds];
	const worker = async () => {
		for (let id = queue.shift(); id !== undefined; id = queue.shift()) results.push(await readProjectRounds(env, token, tenant, id));
	};
	await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
	if (results.every((r) => r === null)) return null;
	return results.flatMap((r) => r ?? []);
}

async function readProjectRounds(env: ServerEnv, token: string, tenant: string, projectId: number): Promise<RoundSummary[] | null> {
	const room = projectRoomId(tenant, projectId);
	try {
		const response = await roomsFetch(env)(`${env.ROOMS_INTERNAL_URL}${roomPath('project', encodeURIComponent(room))}/rounds`, {
			headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
			signal: AbortSignal.timeout(ROUNDS_TIMEOUT_MS)
		});
		if (!response.ok) {
			await response.body?.cancel();
			console.warn(`[rounds ${room}] answered ${response.status}`);
			return null;
		}
		return parseRounds(await response.json(), projectId);
	} catch (error) {
		console.warn(`[rounds ${room}] unreachable: ${error instanceof Error ? error.message : String(error)}`);
		return null;
	}
}
