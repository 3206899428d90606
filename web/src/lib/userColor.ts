import { presenceColor } from '$shared/presenceColor';
import type { SessionUser } from '$shared/roles';

/** A user's colour everywhere (header avatar, presence list): derived from the user id like in rooms. */
export function userColor(user: Pick<SessionUser, 'id'>): string {
	return presenceColor(String(user.id));
}
