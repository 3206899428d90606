import { describe, expect, it } from 'vitest';
import { CLOSE } from '../../shared/closeCodes';
import { signedHeaders } from '../../shared/live/signedMessage';
import { REVOCATION_NOTICE_LIMITS, signedRevocationNotice, type RevocationNotice } from '../../shared/live/revocationNotice';
import { signRoomToken, verifyRoomToken } from '../../shared/roomToken';
import { authorizeToken } from '../roomAuth';
import { reviewApi } from './reviewApi';
import { RevocationInbox } from './RevocationInbox';
import { ROOM_ID, SECRET, join, newRoom } from './testRoom';

// The project room's HTTP door for revocation notices. Anyone can reach it: what must never happen is a socket
// closed, or a revocation recorded, by a notice that is not signed with BRIDGE_SECRET, is stale, or is a replay.

const BRIDGE = 'unit-bridge-secret-0123456789abcdefghij';
const URL_BASE = `http://rooms.test/ws/project/${ROOM_ID}`;
let ids = 0;
const noticeId = () => `notice${String(++ids).padStart(4, '0')}`;
const notice = (extra: Partial<RevocationNotice> = {}): RevocationNotice => ({ type: 'share.revoked', partnerId: 4, projectId: 3, at: Date.now() - 1_000, ...extra });

async function signedRequest(body: RevocationNotice | string, { secret = BRIDGE, now = Date.now(), id = noticeId() } = {}) {
	if (typeof body !== 'string') return signedRevocationNotice(secret, body, { now, noticeId: id });
	// Any text, signed as a notice would be: only the shape checks can refuse it.
	return { body, headers: await signedHeaders(secret, body, { now, id }) };
}
const incoming = ({ body, headers }: { body: string; headers: Record<string, string> }) => ({ body, headers: new Headers(headers) });

describe('RevocationInbox (signed revocation notices to a project room)', () => {
	it('INBOX-1 takes a signed, recent notice about its project once; the same notice again gets 409', async () => {
		const inbox = new RevocationInbox({ secret: BRIDGE, projectId: 3 });
		const request = await signedRequest(notice());
		expect(await inbox.receive(incoming(request))).toEqual({ ok: true, notice: notice({ at: JSON.parse(request.body).at }) });
		expect(await inbox.receive(incoming(request))).toMatchObject({ ok: false, status: 409 });
	});

	it('INBOX-2 refuses unsigned, forged, stale, future, malformed, oversize and other-project notices', async () => {
		const inbox = new RevocationInbox({ secret: BRIDGE, projectId: 3 });
		const good = await signedRequest(notice());
		const cases: Array<[string, { body: string | null; headers: Headers }, number]> = [
			['unsigned', { body: good.body, headers: new Headers({ 'content-type': 'application/json' }) }, 401],
			['wrong secret', incoming(await signedRequest(notice(), { secret: `${BRIDGE}-forged` })), 401],
			['body changed after signing', { body: JSON.stringify(notice({ partnerId: 8 })), headers: new Headers(good.headers) }, 401],
			['stale', incoming(await signedRequest(notice(), { now: Date.now() - REVOCATION_NOTICE_LIMITS.maxAgeMs - 5_000 })), 401],
			['future', incoming(await signedRequest(notice(), { now: Date.now() + REVOCATION_NOTICE_LIMITS.maxAgeMs + 5_000 })), 401],
			['not JSON', incoming(await signedRequest('{"type":')), 400],
			['extra field', incoming(await signedRequest(JSON.stringify({ ...notice(), events: [] }))), 400],
			['other project', incoming(await signedRequest(notice({ projectId: 4 }))), 400],
			['oversize', incoming(await signedRequest(JSON.stringify({ pad: 'x'.repeat(2_000) }))), 413],
			['no body', { body: null, headers: new Headers(good.headers) }, 413]
		];
		for (const [name, request, status] of cases) expect({ name, answer: await inbox.receive(request) }).toMatchObject({ name, answer: { ok: false, status } });
		// None of those used up the good notice's id.
		expect(await inbox.receive(incoming(good))).toMatchObject({ ok: true });
	});

	it('INBOX-3 without BRIDGE_SECRET every notice is refused with 500', async () => {
		const inbox = new RevocationInbox({ secret: undefined, projectId: 3 });
		expect(await inbox.receive(incoming(await signedRequest(notice())))).toMatchObject({ ok: false, status: 500 });
	});

	it('INBOX-4 POST …/revocations closes the agency\'s sockets with a signed notice only; a forged one (no room token needed either way) closes nothing', async () => {
		const room = await newRoom();
		const api = reviewApi(async () => room, (token) => authorizeToken(token, 'project', ROOM_ID, SECRET), Date.now, new RevocationInbox({ secret: BRIDGE, projectId: 3 }));
		const { token } = await signRoomToken({ sub: '5', name: 'Lova Andria', role: 'partner', tenant: 'ferme-verte', projects: [3], partnerAccess: { '3': 'editor' }, partnerId: 4 }, SECRET, { now: Date.now() - 10_000 });
		const verified = await verifyRoomToken(token, SECRET);
		if (!verified.ok) throw new Error('token');
		const partner = join(room, verified.claims);
		const post = (request: { body: string; headers: Record<string, string> }) => api.fetch(new Request(`${URL_BASE}/revocations`, { method: 'POST', ...request }));

		const forged = await post(await signedRequest(notice(), { secret: `${BRIDGE}-forged` }));
		expect(forged.status).toBe(401);
		const withRoomToken = await post({ body: JSON.stringify(notice()), headers: { authorization: `Bearer ${token}` } });
		expect(withRoomToken.status).toBe(401);
		expect(partner.socket.closed).toBeNull();
		expect(room.isRevoked(verified.claims)).toBe(false);

		const signed = await signedRequest(notice());
		const accepted = await post(signed);
		expect({ status: accepted.status, body: await accepted.json() }).toEqual({ status: 200, body: { closed: 1 } });
		expect(partner.socket.closed).toEqual({ code: CLOSE.forbidden, reason: 'access revoked' });
		expect((await post(signed)).status).toBe(409);

		// The review API itself now refuses that partner's token, which predates the revocation.
		const read = await api.fetch(new Request(`${URL_BASE}/threads`, { headers: { authorization: `Bearer ${token}` } }));
		expect(read.status).toBe(403);
	});
});
