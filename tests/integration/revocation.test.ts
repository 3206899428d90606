import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../../scripts/lib/waitFor';
import { CLOSE } from '../../shared/closeCodes';
import { signedRevocationNotice } from '../../shared/live/revocationNotice';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { RoomClient, type TokenResult } from '../../web/src/lib/rooms/RoomClient';
import { bkndLogin, bkndPatch, bkndRows } from '../harness/bkndApi';
import { createdId, ok } from '../harness/commands';
import { tryUpgrade } from '../harness/rawSocket';
import { TEST_BRIDGE_SECRET } from '../harness/secrets';
import { DEMO_USERS, startStack, type Stack } from '../harness/stack';
import { signIn, webRequest } from '../harness/webClient';

// A partner agency's share of a project is revoked while its people are in that project's room. The whole product
// runs: bknd (the revocation and its live bridge), the rooms worker (the tenant's live room tells the project room) and
// the web app (sign-in, room tokens). What must never happen: the partner still in that room seconds later, or
// getting back in with a token it already holds; anyone else thrown out (staff, the client, the same partner in
// another project); a stranger closing sockets through the project room's HTTP API.

interface Share { id: number; projects_id: number; partners_id: number; revoked_at: string | null }
interface Row { id: number; [key: string]: unknown }

/** The requirement: "closed (4403) within seconds". */
const WITHIN_MS = 5_000;

/**
 * The close code the room sent, as soon as its close frame arrived. workerd (measured under partykit dev) ends the connection of a socket
 * closed during onConnect only ~10 s later; `_closeFrameReceived`, `_closeCode`, `_closeMessage` and `_receiver`
 * are `ws` internals (see liveRoom.test.ts).
 */
function closeFrame(socket: WebSocket): Promise<{ code: number; reason: string }> {
	const internals = socket as unknown as {
		_closeFrameReceived: boolean;
		_closeCode: number;
		_closeMessage: Buffer;
		_receiver?: { once(event: 'conclude', listener: (code: number, reason: Buffer) => void): void };
	};
	if (internals._closeFrameReceived) return Promise.resolve({ code: internals._closeCode, reason: String(internals._closeMessage) });
	return new Promise((resolve) => {
		socket.once('close', (code, reason) => resolve({ code, reason: String(reason) }));
		internals._receiver?.once('conclude', (code, reason) => resolve({ code, reason: String(reason) }));
	});
}

describe('revoking a partner share closes its sockets on that project within seconds (real bknd, rooms and web app)', () => {
	let stack: Stack;
	let admin: string;
	let tenantProjects: number[];
	let revokedShare: Share;
	/** Another project of the tenant shared with the same agency, whose share stays. */
	let keptProject: number;
	let partnerTokenBeforeRevocation: string;
	/** When the partner's socket on the revoked project was closed (Unix ms). */
	let closedAt = 0;
	const cookies: Record<string, string> = {};
	const clients: RoomClient[] = [];
	const room = (projectId: number) => `ferme-verte.${projectId}`;

	/** A room token from the web app for the signed-in user `who`, as the page's token source asks for it. */
	async function webToken(who: keyof typeof cookies, roomId: string): Promise<TokenResult & { url?: string }> {
		const response = await webRequest(stack.web.url, `/api/rooms/token?room=${roomId}`, { cookie: cookies[who] });
		if (response.status !== 200) return { ok: false, status: response.status, error: response.body };
		const { token, expiresAt, url } = response.json<{ token: string; expiresAt: number; url: string }>();
		return { ok: true, token, expiresAt, url };
	}

	/** A room client as a browser tab runs it, getting every token from the web app; counts its token requests. */
	async function join(who: keyof typeof cookies, roomId: string) {
		const tokenRequests = { count: 0 };
		const client = new RoomClient({
			url: `${stack.rooms.url.replace(/^http/, 'ws')}/ws/project/${roomId}`,
			WebSocket,
			getToken: () => (tokenRequests.count++, webToken(who, roomId))
		});
		clients.push(client);
		await waitFor(() => client.isSynced, { timeout: 15_000, message: `${who} to sync with ${roomId}` });
		return { client, tokenRequests };
	}

	const frameIds = (client: RoomClient) => [...client.docs.client.getMap('frames').keys()];
	const addFrame = async (staff: RoomClient, name: string) => createdId(await ok(staff, { type: 'frame.add', name, width: 1440, height: 900 }), 'frame');

	async function grantShare(projectId: number, partnerId: number): Promise<number> {
		const response = await fetch(`${stack.bknd.url}/api/data/entity/project_shares`, {
			method: 'POST',
			headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
			body: JSON.stringify({ projects_id: projectId, partners_id: partnerId, access: 'editor', granted_at: new Date().toISOString() })
		});
		if (!response.ok) throw new Error(`granting a share: ${response.status} ${await response.text()}`);
		return ((await response.json()) as { data: { id: number } }).data.id;
	}

	beforeAll(async () => {
		stack = await startStack();
		admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		const [clientRows, projects, shares] = await Promise.all([
			bkndRows<Row>(stack.bknd.url, admin, 'clients'),
			bkndRows<Row>(stack.bknd.url, admin, 'projects'),
			bkndRows<Share>(stack.bknd.url, admin, 'project_shares')
		]);
		const ferme = clientRows.find((c) => c.slug === 'ferme-verte')!;
		tenantProjects = projects.filter((p) => p.clients_id === ferme.id).map((p) => p.id);
		revokedShare = shares.find((s) => !s.revoked_at && tenantProjects.includes(s.projects_id))!;
		keptProject = tenantProjects.find((id) => !shares.some((s) => s.projects_id === id))!;
		await grantShare(keptProject, revokedShare.partners_id);
		for (const who of ['partner', 'designer', 'clientFerme'] as const) cookies[who] = await signIn(stack.web.url, DEMO_USERS[who]);
	}, 240_000);

	afterAll(async () => {
		for (const client of clients) client.destroy();
		await stack?.stop();
	});

	it('REVOKE-LIVE-1 "the partner\'s open sockets on that project\'s room are closed (4403) within seconds and its next token request is refused"; everyone else stays', async () => {
		const projectId = revokedShare.projects_id;
		const staff = await join('designer', room(projectId));
		const customer = await join('clientFerme', room(projectId));
		const partner = await join('partner', room(projectId));
		const staffElsewhere = await join('designer', room(keptProject));
		const partnerElsewhere = await join('partner', room(keptProject));
		const token = await webToken('partner', room(projectId));
		if (!token.ok) throw new Error('the partner got no token before the revocation');
		partnerTokenBeforeRevocation = token.token;
		partner.client.subscribe(() => {
			if (partner.client.status.state === 'denied' && closedAt === 0) closedAt = Date.now();
		});
		const before = await addFrame(staff.client, 'Avant le retrait');
		await waitFor(() => frameIds(partner.client).includes(before), { message: 'the partner to follow the review' });

		// Staff withdraws the share through bknd's REST API, as the CRM does.
		const revokedAt = Date.now();
		await bkndPatch(stack.bknd.url, admin, 'project_shares', revokedShare.id, { revoked_at: new Date().toISOString() });
		await waitFor(() => partner.client.status.state === 'denied', { timeout: WITHIN_MS, interval: 10, message: 'the partner socket to close' });
		console.log(`[revocation] partner socket closed ${closedAt - revokedAt} ms after the PATCH was sent`);
		expect(closedAt - revokedAt).toBeLessThan(WITHIN_MS);
		// Closed by the room, with the code that tells the page not to retry, and the reason it shows.
		expect(partner.client.status).toEqual({ state: 'denied', code: CLOSE.forbidden, reason: 'access revoked' });

		// Everyone else is still in and still gets updates; the revoked partner gets nothing more.
		const after = await addFrame(staff.client, 'Après le retrait');
		await waitFor(() => frameIds(customer.client).includes(after), { message: 'the client to get the frame added after the revocation' });
		const elsewhere = await addFrame(staffElsewhere.client, 'Autre projet');
		await waitFor(() => frameIds(partnerElsewhere.client).includes(elsewhere), { message: 'the partner to keep following its other project' });
		for (const kept of [staff, customer, staffElsewhere, partnerElsewhere]) expect(kept.client.status).toEqual({ state: 'live' });
		expect(frameIds(partner.client)).not.toContain(after);
		// It did not try again: no new token request, no new socket.
		expect(partner.tokenRequests.count).toBe(1);

		// Its next token request for that project is refused; its other project still works.
		expect((await webToken('partner', room(projectId))).ok).toBe(false);
		expect((await webRequest(stack.web.url, `/api/rooms/token?room=${room(projectId)}`, { cookie: cookies.partner })).status).toBe(403);
		expect((await webToken('partner', room(keptProject))).ok).toBe(true);
	}, 60_000);

	it('REVOKE-LIVE-2 a token the partner got before the revocation (still valid) does not get it back in: closed with 4403', async () => {
		const url = `${stack.rooms.url.replace(/^http/, 'ws')}/ws/project/${room(revokedShare.projects_id)}?v=${PROTOCOL_VERSION}&token=${partnerTokenBeforeRevocation}`;
		const outcome = await tryUpgrade(url);
		if (!outcome.upgraded) throw new Error(`refused before the upgrade: ${outcome.status}`);
		const closed = await closeFrame(outcome.socket);
		outcome.socket.terminate();
		expect(closed).toEqual({ code: CLOSE.forbidden, reason: 'access revoked' });
		// Not one frame of the review reached it.
		expect(outcome.frames).toEqual([]);
		// Nor does the review's HTTP API answer it.
		const read = await fetch(`${stack.rooms.url}/ws/project/${room(revokedShare.projects_id)}/threads`, { headers: { authorization: `Bearer ${partnerTokenBeforeRevocation}` } });
		expect(read.status).toBe(403);
	});

	it('REVOKE-LIVE-3 a forged, unsigned, stale or replayed revocation notice to a project room is refused and closes nothing', async () => {
		const { client: partner } = await join('partner', room(keptProject));
		const { client: staff } = await join('designer', room(keptProject));
		const endpoint = `${stack.rooms.url}/ws/project/${room(keptProject)}/revocations`;
		const post = async (request: { body: string; headers: Record<string, string> }) => (await fetch(endpoint, { method: 'POST', ...request })).status;
		const notice = { type: 'share.revoked' as const, partnerId: revokedShare.partners_id, projectId: keptProject, at: Date.now() };
		const partnerToken = await webToken('partner', room(keptProject));
		if (!partnerToken.ok) throw new Error('token');

		expect(await post({ body: JSON.stringify(notice), headers: { 'content-type': 'application/json' } })).toBe(401);
		expect(await post({ body: JSON.stringify(notice), headers: { 'content-type': 'application/json', authorization: `Bearer ${partnerToken.token}` } })).toBe(401);
		expect(await post(await signedRevocationNotice('someone-elses-secret-0123456789abcdef', notice, { now: Date.now(), noticeId: 'forged0001' }))).toBe(401);
		expect(await post(await signedRevocationNotice(TEST_BRIDGE_SECRET, notice, { now: Date.now() - 5 * 60_000, noticeId: 'stale00001' }))).toBe(401);
		// A genuine notice about an agency nobody here belongs to closes nothing; sent again, it is refused.
		const genuine = await signedRevocationNotice(TEST_BRIDGE_SECRET, { ...notice, partnerId: 999_999 }, { now: Date.now(), noticeId: 'genuine0001' });
		const first = await fetch(endpoint, { method: 'POST', ...genuine });
		expect({ status: first.status, body: await first.json() }).toEqual({ status: 200, body: { closed: 0 } });
		expect(await post(genuine)).toBe(409);

		// The partner is still in and still following.
		const frame = await addFrame(staff, 'Toujours là');
		await waitFor(() => frameIds(partner).includes(frame), { message: 'the partner to still get updates' });
		expect(partner.status).toEqual({ state: 'live' });
	});

	it('REVOKE-LIVE-4 a share granted again (a new share row) lets the partner in again', async () => {
		expect(closedAt).toBeGreaterThan(0);
		// Room tokens carry whole seconds: one issued in the second of the revocation counts as before it.
		await waitFor(() => Math.floor(Date.now() / 1000) * 1000 > closedAt, { message: 'the second after the revocation' });
		await grantShare(revokedShare.projects_id, revokedShare.partners_id);
		expect((await webToken('partner', room(revokedShare.projects_id))).ok).toBe(true);
		const { client: partner } = await join('partner', room(revokedShare.projects_id));
		const { client: staff } = await join('designer', room(revokedShare.projects_id));
		const frame = await addFrame(staff, 'De retour');
		await waitFor(() => frameIds(partner).includes(frame), { message: 'the partner to follow the review again' });
		expect(partner.status).toEqual({ state: 'live' });
	});
});
