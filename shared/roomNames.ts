import { STAFF_LIVE_ROOM, isTenantSlug } from './tenants';

/** Room kinds, the `<party>` of `/ws/<party>/<room>` (PartyServer routes it to the Durable Object bound as `Project` or `Live`). */
export const PARTIES = { project: 'project', live: 'live' } as const;
export type PartyName = (typeof PARTIES)[keyof typeof PARTIES];

/** Every room lives under this path segment: `/ws/project/<tenant>.<id>`, `/ws/live/<tenant>` (the design note's URLs). */
export const ROOMS_PATH_PREFIX = 'ws';

/** `/ws/<party>/<room>`, the path of a room's socket and HTTP API (room ids are used as they are: no encoding). */
export function roomPath(party: PartyName, roomId: string): string {
	return `/${ROOMS_PATH_PREFIX}/${party}/${roomId}`;
}

/** A room id a token may be asked for, decoded. */
export type RoomRef =
	| { party: 'project'; tenant: string; projectId: number }
	| { party: 'live'; tenant: string }
	| { party: 'live'; staff: true };

// Project ids are bknd integer primary keys: no sign, no leading zero, no more digits than a safe integer.
const PROJECT_ID = /^[1-9][0-9]{0,14}$/;

/** `ferme-verte.12`: the room of project 12 of tenant `ferme-verte`. */
export function projectRoomId(tenant: string, projectId: number): string {
	return `${tenant}.${projectId}`;
}

/** Decodes a project room id; `null` for anything malformed (empty, `..`, extra dots, bad slug). */
export function parseProjectRoomId(roomId: string): { tenant: string; projectId: number } | null {
	const parts = roomId.split('.');
	if (parts.length !== 2) return null;
	const [tenant, id] = parts as [string, string];
	if (!isTenantSlug(tenant) || !PROJECT_ID.test(id)) return null;
	return { tenant, projectId: Number(id) };
}

/** Decodes a live room id: a tenant slug, or the staff room. */
export function parseLiveRoomId(roomId: string): RoomRef | null {
	if (roomId === STAFF_LIVE_ROOM) return { party: 'live', staff: true };
	return isTenantSlug(roomId) ? { party: 'live', tenant: roomId } : null;
}

/** Decodes the `room` asked of the token endpoint: a dot means a project room, otherwise a live room. */
export function parseRoomRef(roomId: string): RoomRef | null {
	if (roomId.includes('.')) {
		const project = parseProjectRoomId(roomId);
		return project ? { party: 'project', ...project } : null;
	}
	return parseLiveRoomId(roomId);
}
