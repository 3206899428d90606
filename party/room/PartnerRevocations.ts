import type { RoomTokenClaims } from '../../shared/roomToken';

/** `null`: a revocation that named no agency, which applies to every partner. */
type Agency = number | null;

/**
 * The partner agencies whose share of this project was revoked, each with the time of its latest revocation:
 * a partner token issued at or before that time is refused, so a token minted just before the revocation (still
 * valid for up to a minute) can neither renew an open socket nor open a new one. A token issued after it passes,
 * so a share granted again works at once with a fresh token. Kept in memory: after a restart of the room, tokens
 * from before it are at most a minute from expiry and the web app already refuses to renew them.
 *
 * Token `iat` is in whole seconds, so a token issued in the same second as the revocation counts as before it:
 * when in doubt, refuse (a share granted again within that second needs one more token).
 */
export class PartnerRevocations {
	private readonly latest = new Map<Agency, number>();

	/** Records a revocation at `at` (Unix ms). A repeated or older notice changes nothing. */
	record(partnerId: Agency, at: number): void {
		const known = this.latest.get(partnerId);
		if (known === undefined || at > known) this.latest.set(partnerId, at);
	}

	/** Whether a revocation at `at` of `partnerId` applies to a socket with `claims`. */
	static applies(partnerId: Agency, at: number, claims: RoomTokenClaims): boolean {
		if (claims.role !== 'partner' || claims.iat * 1000 > at) return false;
		// A partner token without an agency cannot be told apart: every agency's revocation applies to it.
		return partnerId === null || claims.partnerId === undefined || claims.partnerId === partnerId;
	}

	/** Whether `claims` were issued before a revocation that applies to them. */
	refuses(claims: RoomTokenClaims): boolean {
		if (claims.role !== 'partner') return false;
		for (const [partnerId, at] of this.latest) if (PartnerRevocations.applies(partnerId, at, claims)) return true;
		return false;
	}
}
