import { describe, expect, it } from 'vitest';
import { decodeJwt, SignJWT } from 'jose';
import { ROOM_TOKEN_AUDIENCE, signRoomToken, verifyRoomToken } from './roomToken';

const SECRET = 'unit-test-secret-0123456789abcdefghij';
const subject = { sub: '4', name: 'Fara Rasoa', role: 'client' as const, tenant: 'ferme-verte', projects: [1, 2] };

describe('room tokens', () => {
	it('carries sub, name, role, tenant, projects, audience and a one-minute expiry', async () => {
		const now = Date.UTC(2026, 10, 26, 9, 0, 0);
		const { token, expiresAt } = await signRoomToken(subject, SECRET, { now });
		const claims = decodeJwt(token);
		expect(claims).toMatchObject({ ...subject, aud: ROOM_TOKEN_AUDIENCE, iat: now / 1000, exp: now / 1000 + 60 });
		expect(expiresAt).toBe(now + 60_000);
		expect(await verifyRoomToken(token, SECRET, now + 1000)).toEqual({ ok: true, claims });
	});

	it('refuses a missing, expired, forged or wrong-audience token', async () => {
		const now = Date.now();
		const { token } = await signRoomToken(subject, SECRET, { now });
		expect(await verifyRoomToken(undefined, SECRET)).toEqual({ ok: false, reason: 'missing' });
		expect(await verifyRoomToken(token, SECRET, now + 61_000)).toEqual({ ok: false, reason: 'expired' });
		expect(await verifyRoomToken(token, `${SECRET}x`, now)).toEqual({ ok: false, reason: 'invalid' });
		expect(await verifyRoomToken('not.a.jwt', SECRET, now)).toEqual({ ok: false, reason: 'invalid' });
		const otherAudience = await new SignJWT({ ...subject }).setProtectedHeader({ alg: 'HS256' }).setAudience('bknd')
			.setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
		expect(await verifyRoomToken(otherAudience, SECRET)).toEqual({ ok: false, reason: 'invalid' });
	});

	it('refuses a correctly signed token whose claims have the wrong shape', async () => {
		const bad = await new SignJWT({ name: 'x', role: 'superuser', tenant: 'ferme-verte', projects: [1] }).setProtectedHeader({ alg: 'HS256' })
			.setSubject('4').setAudience(ROOM_TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
		expect(await verifyRoomToken(bad, SECRET)).toEqual({ ok: false, reason: 'invalid' });
	});

	it('carries a partner agency id when given, and refuses one that is not a positive integer', async () => {
		const partner = { sub: '5', name: 'Studio', role: 'partner' as const, tenant: 'ferme-verte', projects: [2], partnerId: 7 };
		const { token } = await signRoomToken(partner, SECRET);
		expect(await verifyRoomToken(token, SECRET)).toMatchObject({ ok: true, claims: { partnerId: 7 } });
		const { token: without } = await signRoomToken(subject, SECRET);
		const verified = await verifyRoomToken(without, SECRET);
		expect(verified.ok && 'partnerId' in verified.claims).toBe(false);
		for (const partnerId of [0, -3, 1.5, '7']) {
			const bad = await new SignJWT({ ...partner, partnerId }).setProtectedHeader({ alg: 'HS256' }).setSubject('5').setAudience(ROOM_TOKEN_AUDIENCE)
				.setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
			expect(await verifyRoomToken(bad, SECRET)).toEqual({ ok: false, reason: 'invalid' });
		}
	});

	it('refuses the "none" algorithm', async () => {
		const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
		const payload = Buffer.from(JSON.stringify({ ...subject, aud: ROOM_TOKEN_AUDIENCE, iat: 1, exp: 9_999_999_999 })).toString('base64url');
		expect(await verifyRoomToken(`${header}.${payload}.`, SECRET)).toEqual({ ok: false, reason: 'invalid' });
	});
});
