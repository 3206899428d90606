import { isStaff } from './roles';
import type { RoomTokenClaims } from './roomToken';
import { parseLiveRoomId, parseProjectRoomId, type PartyName } from './roomNames';

export type RoomAdmission =
	| { ok: true }
	| { ok: false; status: 403; error: string };

/**
 * Whether verified token claims admit a connection to `roomId` of `party` (rules ROOM-1 to ROOM-4, see roomAccess.test.ts).
 * The token was issued for one tenant and a list of its projects; the room id must fall inside both.
 */
export function admitToRoom(claims: RoomTokenClaims, party: PartyName, roomId: string): RoomAdmission {
	if (party === 'project') {
		const room = parseProjectRoomId(roomId);
		if (!room) return deny('malformed room id');
		if (room.tenant !== claims.tenant) return deny('token is for another tenant');
		if (!claims.projects.includes(room.projectId)) return deny('project not granted by this token');
		return { ok: true };
	}
	const room = parseLiveRoomId(roomId);
	if (!room) return deny('malformed room id');
	if ('staff' in room) return isStaff(claims.role) && claims.tenant === roomId ? { ok: true } : deny('staff room');
	return room.tenant === claims.tenant ? { ok: true } : deny('token is for another tenant');
}

function deny(error: string): RoomAdmission {
	return { ok: false, status: 403, error };
}
