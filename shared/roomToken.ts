import { SignJWT, jwtVerify, errors } from 'jose';
import { z } from 'zod';
import { shareAccessSchema } from './entities';
import { roleSchema } from './roleSchema';
import { STAFF_LIVE_ROOM } from './tenants';
import { tenantSlugSchema } from './tenantSchema';
import { ROOM_TOKEN_TTL_SECONDS } from './roomTokenTiming';

/** `aud` of every room token, so a bknd token or another service's JWT signed with the same secret is refused. */
export const ROOM_TOKEN_AUDIENCE = 'fataplus-rooms';
// The token lifetimes live in roomTokenTiming.ts (the browser reads them without this module's zod schemas).
export { ROOM_TOKEN_TTL_SECONDS, ROOM_TOKEN_RENEW_BEFORE_SECONDS } from './roomTokenTiming';

/** What a room trusts about a connection; everything else a client says about itself is ignored. */
export const roomTokenClaimsSchema = z.object({
	sub: z.string().regex(/^[1-9][0-9]*$/),
	name: z.string().max(200),
	role: roleSchema,
	/** A tenant slug, or `fataplus` for the staff live room. */
	tenant: z.union([tenantSlugSchema, z.literal(STAFF_LIVE_ROOM)]),
	/** Project ids of that tenant this user may enter. */
	projects: z.array(z.number().int().positive()).max(10_000),
	/** For partners: the share level per project id of `projects` (`editor` or `viewer`). */
	partnerAccess: z.record(z.string().regex(/^[1-9][0-9]*$/), shareAccessSchema).optional(),
	/**
	 * For partners: their agency (bknd `partners` id). Live rooms match a share's revocation (`project_shares`
	 * with `partners_id`) against it to cut that agency's watchers off the project at once.
	 */
	partnerId: z.number().int().positive().optional(),
	aud: z.literal(ROOM_TOKEN_AUDIENCE),
	iat: z.number(),
	exp: z.number()
});
export type RoomTokenClaims = z.infer<typeof roomTokenClaimsSchema>;
export type RoomTokenSubject = Omit<RoomTokenClaims, 'aud' | 'iat' | 'exp'>;

const encoder = new TextEncoder();

/** Signs a room token (HS256). `now` is injectable so tests can mint expired tokens. */
export async function signRoomToken(
	subject: RoomTokenSubject,
	secret: string,
	{ now = Date.now(), ttlSeconds = ROOM_TOKEN_TTL_SECONDS }: { now?: number; ttlSeconds?: number } = {}
): Promise<{ token: string; expiresAt: number }> {
	const iat = Math.floor(now / 1000);
	const exp = iat + ttlSeconds;
	const { sub, ...claims } = subject;
	const token = await new SignJWT(claims)
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setSubject(sub)
		.setAudience(ROOM_TOKEN_AUDIENCE)
		.setIssuedAt(iat)
		.setExpirationTime(exp)
		.sign(encoder.encode(secret));
	return { token, expiresAt: exp * 1000 };
}

export type VerifyResult =
	| { ok: true; claims: RoomTokenClaims }
	| { ok: false; reason: 'missing' | 'expired' | 'invalid' };

/** Verifies signature, algorithm, audience and expiry, then the claims' shape. Never throws. */
export async function verifyRoomToken(token: string | null | undefined, secret: string, now = Date.now()): Promise<VerifyResult> {
	if (!token) return { ok: false, reason: 'missing' };
	try {
		const { payload } = await jwtVerify(token, encoder.encode(secret), {
			algorithms: ['HS256'],
			audience: ROOM_TOKEN_AUDIENCE,
			currentDate: new Date(now)
		});
		const claims = roomTokenClaimsSchema.safeParse(payload);
		return claims.success ? { ok: true, claims: claims.data } : { ok: false, reason: 'invalid' };
	} catch (error) {
		return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
	}
}
