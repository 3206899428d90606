import { CLOSE } from '../../../../shared/closeCodes';

/** What the status pill shows (`data-state` of `room-status`). */
export type ConnectionState = 'connecting' | 'live' | 'offline' | 'denied';

/**
 * Why a room stopped for good (`data-reason` of `room-status`): signed out of the web app (401 from the
 * token endpoint), the room refused the token (4401: expired or invalid), no access to the project
 * (403 / 4403 before ever getting in), access withdrawn while in the room (the same refusal after being
 * live), or the room closed us for a broken message (4400 / 4413, e.g. an outdated page).
 */
export type DeniedReason = 'signedOut' | 'unauthorized' | 'forbidden' | 'revoked' | 'error';

/**
 * The reason to show for a denied room: `code` is `RoomClient`'s close code, `endpointStatus` the token
 * endpoint's refusal if it refused, `wasLive` whether this page was in the room before.
 * @example deniedReason(4403, 403, true) // 'revoked'
 */
export function deniedReason(code: number, endpointStatus: number | null, wasLive: boolean): DeniedReason {
	if (endpointStatus === 401) return 'signedOut';
	if (endpointStatus === null && code === CLOSE.unauthorized) return 'unauthorized';
	if (endpointStatus === null && code !== CLOSE.forbidden) return 'error';
	return wasLive ? 'revoked' : 'forbidden';
}
