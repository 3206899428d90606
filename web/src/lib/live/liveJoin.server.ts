import { parseLiveRoomId, roomPath, type RoomRef } from '$shared/roomNames';
import type { SessionUser } from '$shared/roles';
import { signRoomToken, type RoomTokenSubject } from '$shared/roomToken';
import { decideProjectRoomsToken, decideRoomToken, type TenantFacts } from '$lib/server/accessRules';
import type { ServerEnv } from '$lib/server/env';
import { roomSocketUrl } from '$lib/server/roomUrls';
import { loadTenant } from '$lib/server/tenantFacts';
import type { LiveJoin } from './liveJoin';
import { roomsFetch } from '$lib/server/backends';

/** How long a page load waits for the live room's number before it loads without it (the feed then resyncs). */
const SEQ_TIMEOUT_MS = 2_500;

const NO_FACTS: TenantFacts = { client: null, projects: [], shares: [] };

/**
 * The room token subject `user` gets for live room `room`, decided by the same code as `GET /api/rooms/token`
 * (`decideRoomToken` on what bknd shows them); `null` when refused. Reads bknd (tenant facts) for a tenant room.
 */
export async function liveSubject(env: ServerEnv, bkndToken: string, user: SessionUser, room: string): Promise<RoomTokenSubject | null> {
	return (await liveSubjects(env, bkndToken, user, room))?.live ?? null;
}

/**
 * The same, plus the subject for the tenant's project rooms decided from the same bknd facts (`projects`:
 * `null` for the staff room). Live-room tokens list no projects for clients and staff (accessRules.ts), so
 * reading project rooms needs this one.
 */
export async function liveSubjects(env: ServerEnv, bkndToken: string, user: SessionUser, room: string): Promise<{ live: RoomTokenSubject; projects: RoomTokenSubject | null } | null> {
	const ref: RoomRef | null = parseLiveRoomId(room);
	if (!ref) return null;
	const facts = 'staff' in ref || ref.party !== 'live' ? NO_FACTS : await loadTenant(env, bkndToken, user, ref.tenant);
	const decision = decideRoomToken(user, ref, facts);
	if (!decision.ok) return null;
	return { live: decision.subject, projects: 'staff' in ref ? null : decideProjectRoomsToken(user, ref.tenant, facts) };
}

/**
 * Reads the live room's current number (`GET /ws/live/<room>/seq`, Bearer a room token signed here for the
 * viewer). Call it BEFORE reading the snapshot from bknd. `null` when the room is unreachable or refuses.
 */
export async function readLiveSeq(env: ServerEnv, subject: RoomTokenSubject, room: string): Promise<number | null> {
	const { token } = await signRoomToken(subject, env.ROOM_TOKEN_SECRET);
	try {
		const response = await roomsFetch(env)(`${env.ROOMS_INTERNAL_URL}${roomPath('live', encodeURIComponent(room))}/seq`, {
			headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
			signal: AbortSignal.timeout(SEQ_TIMEOUT_MS)
		});
		const body = (await response.json().catch(() => null)) as { seq?: unknown } | null;
		if (response.ok && typeof body?.seq === 'number' && Number.isSafeInteger(body.seq) && body.seq >= 0) return body.seq;
		console.warn(`[live ${room}] seq answered ${response.status}`);
	} catch (error) {
		console.warn(`[live ${room}] seq unreachable: ${error instanceof Error ? error.message : String(error)}`);
	}
	return null;
}

/** The join point of `room` for the browser: its socket URL and the number read now (before the snapshot). */
export async function joinLiveRoom(env: ServerEnv, subject: RoomTokenSubject, room: string): Promise<LiveJoin> {
	return { room, url: roomSocketUrl(env.ROOMS_URL, 'live', room), seq: await readLiveSeq(env, subject, room) };
}
