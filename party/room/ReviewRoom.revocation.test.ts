import { describe, expect, it } from 'vitest';
import { CLOSE, CLOSE_REASON } from '../../shared/closeCodes';
import { signRoomToken, verifyRoomToken, type RoomTokenClaims, type RoomTokenSubject } from '../../shared/roomToken';
import { SECRET, commandText, join, newRoom } from './testRoom';

// A partner agency's share of the project is revoked while its people are in the room (ReviewRoom.revokePartner):
// what must never happen is a revoked partner staying in, or anyone else being thrown out.

const AGENCY = 4;
const OTHER_AGENCY = 8;
/** When the revocation happened, in the recent past so every test token below is still valid. */
const REVOKED_AT = Date.now() - 20_000;

/** A verified token minted at `mintedAt` (its `iat`), valid for a minute from then. */
async function tokenAt(subject: Partial<RoomTokenSubject>, mintedAt: number): Promise<{ token: string; claims: RoomTokenClaims }> {
	const { token } = await signRoomToken({ sub: '7', name: 'Hery Rakoto', role: 'designer', tenant: 'ferme-verte', projects: [3], ...subject }, SECRET, { now: mintedAt });
	const verified = await verifyRoomToken(token, SECRET);
	if (!verified.ok) throw new Error('test token invalid');
	return { token, claims: verified.claims };
}
const partner = (partnerId: number | undefined, mintedAt: number, sub = '5') =>
	tokenAt({ sub, name: 'Lova Andria', role: 'partner', partnerAccess: { '3': 'editor' }, ...(partnerId ? { partnerId } : {}) }, mintedAt);
const before = REVOKED_AT - 10_000;
const after = REVOKED_AT + 5_000;
const frameAdd = (commandId: string) => ({ type: 'frame.add', commandId, name: `Écran ${commandId}`, width: 1440, height: 900 });

describe('ReviewRoom revocations', () => {
	it('REVOKE-1 "closes every socket of that agency with 4403 (access revoked), never a staff, client or other agency\'s socket"', async () => {
		const room = await newRoom();
		const staff = join(room, (await tokenAt({ sub: '7', role: 'designer' }, before)).claims);
		const customer = join(room, (await tokenAt({ sub: '9', name: 'Fara Rasoa', role: 'client' }, before)).claims);
		const revokedA = join(room, (await partner(AGENCY, before)).claims);
		const revokedB = join(room, (await partner(AGENCY, before, '6')).claims);
		const otherAgency = join(room, (await partner(OTHER_AGENCY, before, '12')).claims);

		expect(room.revokePartner(AGENCY, REVOKED_AT)).toBe(2);

		for (const gone of [revokedA, revokedB]) expect(gone.socket.closed).toEqual({ code: CLOSE.forbidden, reason: CLOSE_REASON.accessRevoked });
		for (const kept of [staff, customer, otherAgency]) expect(kept.socket.closed).toBeNull();
		expect(room.size).toBe(3);

		// The others keep working and receiving updates; the closed sockets receive nothing more.
		const frames = revokedA.socket.binaries.length;
		const seenByClient = customer.socket.binaries.length;
		const seenByOtherAgency = otherAgency.socket.binaries.length;
		await room.message(staff.connection, commandText(frameAdd('after')));
		expect(staff.socket.last('ack')).toMatchObject({ commandId: 'after', duplicate: false });
		expect(customer.socket.binaries.length).toBeGreaterThan(seenByClient);
		expect(otherAgency.socket.binaries.length).toBeGreaterThan(seenByOtherAgency);
		expect(revokedA.socket.binaries.length).toBe(frames);
		// A message from a revoked socket that was already on its way changes nothing.
		await room.message(revokedA.connection, commandText(frameAdd('late')));
		expect(room.view(staff.connection.actor).frames.map((f) => f.name)).toEqual(['Écran after']);
	});

	it('REVOKE-2 "a renewal token minted just before the revocation does not keep the socket alive"', async () => {
		const room = await newRoom();
		// In the room with a token issued after an earlier revocation (a share granted again)...
		const renewed = join(room, (await partner(AGENCY, after)).claims);
		room.revokePartner(AGENCY, REVOKED_AT);
		expect(renewed.socket.closed).toBeNull();
		// ...it renews with a token minted before the revocation: refused, and the socket is closed for good.
		await room.message(renewed.connection, JSON.stringify({ type: 'auth', token: (await partner(AGENCY, before)).token }));
		expect(renewed.socket.closed).toEqual({ code: CLOSE.forbidden, reason: CLOSE_REASON.accessRevoked });
		expect(renewed.socket.last('auth-ok')).toBeUndefined();
		expect(room.size).toBe(0);
	});

	it('REVOKE-3 "a token issued after the revocation is accepted (a share granted again works), one issued before is refused"', async () => {
		const room = await newRoom();
		room.revokePartner(AGENCY, REVOKED_AT);
		expect(room.isRevoked((await partner(AGENCY, before)).claims)).toBe(true);
		// Same second as the revocation: counted as before it (iat has whole seconds only).
		expect(room.isRevoked((await partner(AGENCY, Math.floor(REVOKED_AT / 1000) * 1000)).claims)).toBe(true);
		expect(room.isRevoked((await partner(AGENCY, after)).claims)).toBe(false);
		expect(room.isRevoked((await partner(OTHER_AGENCY, before)).claims)).toBe(false);
		expect(room.isRevoked((await tokenAt({ role: 'admin' }, before)).claims)).toBe(false);
		// A partner token that names no agency cannot be told apart from the revoked one: refused.
		expect(room.isRevoked((await partner(undefined, before)).claims)).toBe(true);

		// Renewing on an open socket with a token issued after the revocation keeps it.
		const back = join(room, (await partner(AGENCY, after)).claims);
		await room.message(back.connection, JSON.stringify({ type: 'auth', token: (await partner(AGENCY, Date.now())).token }));
		expect(back.socket.last('auth-ok')).toBeDefined();
		expect(back.socket.closed).toBeNull();
	});

	it('REVOKE-4 "a repeated or late notice is harmless": it closes no socket whose token came after, and never moves the cut-off back', async () => {
		const room = await newRoom();
		room.revokePartner(AGENCY, REVOKED_AT);
		const granted = join(room, (await partner(AGENCY, after)).claims);
		expect(room.revokePartner(AGENCY, REVOKED_AT)).toBe(0);
		expect(room.revokePartner(AGENCY, REVOKED_AT - 60_000)).toBe(0);
		expect(granted.socket.closed).toBeNull();
		// The older notice did not reopen the door to tokens from before the latest revocation.
		expect(room.isRevoked((await partner(AGENCY, REVOKED_AT - 30_000)).claims)).toBe(true);
	});

	it('REVOKE-5 "a revocation that names no agency closes every partner, and only partners"', async () => {
		const room = await newRoom();
		const staff = join(room, (await tokenAt({ role: 'admin', sub: '1' }, before)).claims);
		const partners = [join(room, (await partner(AGENCY, before)).claims), join(room, (await partner(OTHER_AGENCY, before, '12')).claims)];
		expect(room.revokePartner(null, REVOKED_AT)).toBe(2);
		for (const p of partners) expect(p.socket.closed?.code).toBe(CLOSE.forbidden);
		expect(staff.socket.closed).toBeNull();
	});
});
