import { CLOSE, CLOSE_REASON } from '../../../../shared/closeCodes';

/** What the status pill shows (`data-state` of `room-status`). */
export type ConnectionState = 'connecting' | 'live' | 'offline' | 'denied';

/**
 * Why a room stopped for good (`data-reason` of `room-status`): signed out of the web app (401 from the
 * token endpoint), the room refused the token (4401: expired or invalid), no access to the project
 * (403 / 4403), access withdrawn (the room's close reason says the share was revoked, or the token endpoint
 * refused a page that was in the room), or the room closed us for a broken message (4400 / 4413, e.g. an
 * outdated page).
 */
export type DeniedReason = 'signedOut' | 'unauthorized' | 'forbidden' | 'revoked' | 'error';

/**
 * The reason to show for a denied room: `closed` is `RoomClient`'s close code and reason, `endpointStatus` the
 * token endpoint's refusal if it refused, `wasLive` whether this page was in the room before.
 * @example deniedReason({ code: 4403, reason: 'access revoked' }, null, true) // 'revoked'
 */
export function deniedReason(closed: { code: number; reason: string }, endpointStatus: number | null, wasLive: boolean): DeniedReason {
	if (endpointStatus === 401) return 'signedOut';
	if (endpointStatus === null) {
		// The room closed us: its code and reason say why (shared/closeCodes.ts).
		if (closed.code === CLOSE.forbidden) return closed.reason === CLOSE_REASON.accessRevoked ? 'revoked' : 'forbidden';
		return closed.code === CLOSE.unauthorized ? 'unauthorized' : 'error';
	}
	// The token endpoint refused (403): a page that was in the room lost its access; otherwise it never had it.
	return wasLive ? 'revoked' : 'forbidden';
}
