import { admitToRoom } from '../shared/roomAccess';
import type { PartyName } from '../shared/roomNames';
import { verifyRoomToken, type RoomTokenClaims } from '../shared/roomToken';

export type Authorization =
	| { ok: true; claims: RoomTokenClaims }
	| { ok: false; status: 401 | 403 | 500; error: string };

/**
 * Checks the `token` query parameter of a connection to `roomId` of `party`.
 * 401: missing, forged, expired or wrong-audience token (the client should fetch a new one);
 * 403: a valid token that does not admit this room (the client should not retry).
 * Plain function so it is unit-tested without PartyServer (roomAuth.test.ts).
 */
export async function authorizeRoomRequest(
	url: string,
	party: PartyName,
	roomId: string,
	secret: string | undefined,
	now = Date.now()
): Promise<Authorization> {
	return authorizeToken(new URL(url).searchParams.get('token'), party, roomId, secret, now);
}

/** The same check for a token that comes another way: a Bearer header, or a renewal on an open socket. */
export async function authorizeToken(
	token: string | null,
	party: PartyName,
	roomId: string,
	secret: string | undefined,
	now = Date.now()
): Promise<Authorization> {
	// A room without its secret must refuse everyone rather than accept unsigned tokens.
	if (!secret) return { ok: false, status: 500, error: 'rooms are not configured (ROOM_TOKEN_SECRET missing)' };
	const verified = await verifyRoomToken(token, secret, now);
	if (!verified.ok) return { ok: false, status: 401, error: `token ${verified.reason}` };
	const admission = admitToRoom(verified.claims, party, roomId);
	if (!admission.ok) return admission;
	return { ok: true, claims: verified.claims };
}

/** The JSON refusal `onBeforeConnect` answers instead of upgrading. */
export function refusal(auth: Exclude<Authorization, { ok: true }>): Response {
	return Response.json({ error: auth.error }, { status: auth.status, headers: { 'cache-control': 'no-store' } });
}
