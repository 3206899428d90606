import { describe, expect, it } from 'vitest';
import { RevocationInbox } from '../room/RevocationInbox';
import { RevocationForwarder } from './RevocationForwarder';
import { BRIDGE } from './testKit';

// A tenant live room telling project rooms that a partner lost its share. The receiving side is the real
// RevocationInbox, so a notice the project room would refuse (unsigned, wrong key) fails these tests.

type Sent = { room: string; status: number; notice?: unknown };

function setup(answer: (room: string, attempt: number) => number | 'inbox' | 'hang', sent: Sent[]) {
	const inboxes = new Map<string, RevocationInbox>();
	const attempts = new Map<string, number>();
	const logged: string[] = [];
	let ids = 0;
	const forwarder = new RevocationForwarder({
		tenant: 'ferme-verte',
		secret: BRIDGE,
		retryDelaysMs: [0, 0],
		attemptTimeoutMs: 20,
		sleep: async () => {},
		newNoticeId: () => `notice${String(++ids).padStart(4, '0')}`,
		log: (message) => void logged.push(message),
		post: async (room, { body, headers }) => {
			const attempt = attempts.get(room) ?? 0;
			attempts.set(room, attempt + 1);
			const planned = answer(room, attempt);
			if (planned === 'hang') return new Promise<never>(() => {});
			if (planned !== 'inbox') return sent.push({ room, status: planned }), { status: planned };
			const projectId = Number(room.split('.')[1]);
			const inbox = inboxes.get(room) ?? new RevocationInbox({ secret: BRIDGE, projectId });
			inboxes.set(room, inbox);
			const checked = await inbox.receive({ body, headers: new Headers(headers) });
			const status = checked.ok ? 200 : checked.status;
			sent.push({ room, status, notice: checked.ok ? checked.notice : undefined });
			return { status };
		}
	});
	return { forwarder, logged };
}

describe('RevocationForwarder', () => {
	it('FWD-1 tells each project room once per agency, with a notice the project room accepts and the revocation time', async () => {
		const sent: Sent[] = [];
		const { forwarder } = setup(() => 'inbox', sent);
		await forwarder.forward(
			[
				{ partnerId: 4, projectId: 3 },
				{ partnerId: 4, projectId: 3 },
				{ partnerId: 8, projectId: 3 },
				{ partnerId: null, projectId: 5 }
			],
			1_700_000_000_000
		);
		expect(sent.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
			{ room: 'ferme-verte.3', status: 200, notice: { type: 'share.revoked', partnerId: 4, projectId: 3, at: 1_700_000_000_000 } },
			{ room: 'ferme-verte.3', status: 200, notice: { type: 'share.revoked', partnerId: 8, projectId: 3, at: 1_700_000_000_000 } },
			{ room: 'ferme-verte.5', status: 200, notice: { type: 'share.revoked', partnerId: null, projectId: 5, at: 1_700_000_000_000 } }
		]);
	});

	it('FWD-2 retries a failed notice with a fresh signature (the room accepts the retry), and gives up at once on a refusal', async () => {
		const sent: Sent[] = [];
		const { forwarder, logged } = setup((room, attempt) => (room === 'ferme-verte.3' && attempt === 0 ? 503 : room === 'ferme-verte.4' ? 400 : 'inbox'), sent);
		await forwarder.forward([{ partnerId: 4, projectId: 3 }, { partnerId: 4, projectId: 4 }], Date.now());
		// Project 3 answered 503 to the first attempt only, so its 200 is the retry's.
		expect(sent.map((s) => `${s.room} ${s.status}`).sort()).toEqual(['ferme-verte.3 200', 'ferme-verte.3 503', 'ferme-verte.4 400']);
		expect(logged).toEqual([expect.stringContaining('refused')]);
	});

	it('FWD-3 never throws: a project room that keeps failing is logged after the last retry', async () => {
		const sent: Sent[] = [];
		const { forwarder, logged } = setup(() => 500, sent);
		await expect(forwarder.forward([{ partnerId: 4, projectId: 3 }], Date.now())).resolves.toBeUndefined();
		expect(sent).toHaveLength(3);
		expect(logged).toEqual([expect.stringContaining('close when their tokens expire')]);
	});

	it('FWD-4 a project room that does not answer does not hold the live room: the attempt times out and the next one lands', async () => {
		const sent: Sent[] = [];
		const { forwarder } = setup((_room, attempt) => (attempt === 0 ? 'hang' : 'inbox'), sent);
		await forwarder.forward([{ partnerId: 4, projectId: 3 }], Date.now());
		expect(sent.map((s) => s.status)).toEqual([200]);
	});
});
