import { describe, expect, it } from 'vitest';
import type { LiveEvent, LoggedEvent } from '../../shared/live/events';
import { MemoryStorage } from '../storage/MemoryStorage';
import { LiveFeed, type LogReader } from './LiveFeed';
import { LiveLog } from './LiveLog';
import { AT, FakeSockets, events, projectEvent, shareRevoked, state } from './testKit';

const logged = (list: LiveEvent[], from = 1): LoggedEvent[] => list.map((e, i) => ({ ...e, seq: from + i }));
const emptyLog: LogReader = { seq: 0, first: 1, read: async () => [] };

function activity(lane: 'client' | 'internal', projectId = 3): LiveEvent {
	return { id: `activity:${lane}:${projectId}`, tenant: 'ferme-verte', entity: 'activity', op: 'insert', at: AT, row: { projectId, kind: 'thread.opened', lane, actorName: 'Hery', summary: `${lane.toUpperCase()}-SUMMARY` } };
}

describe('LiveFeed (who receives what, in order)', () => {
	it('FEED-1 a client receives its tenant’s shared fields and client-lane activity only: no internal field, lane, lead, share or other tenant', async () => {
		const sockets = new FakeSockets();
		const feed = new LiveFeed('ferme-verte', sockets.list);
		const client = sockets.add();
		const staff = sockets.add();
		await feed.join(client, state('client'), null, emptyLog);
		await feed.join(staff, state('designer'), null, emptyLog);
		const batch = logged([
			projectEvent(1),
			activity('internal'),
			{ ...projectEvent(2), entity: 'leads', tenant: null, row: { id: 1, title: 'LEAD-SECRET' } },
			shareRevoked(3, 7),
			projectEvent(3, { tenant: 'atelier-sud' }, { title: 'OTHER-TENANT' }),
			activity('client')
		]);
		feed.publish(batch);
		expect(staff.seqs()).toEqual([1, 2, 3, 4, 5, 6]);
		expect(client.seqs()).toEqual([1, 6]);
		const seen = client.everything();
		for (const secret of ['MARGE-SECRETE', 'internal_notes', 'INTERNAL-SUMMARY', 'LEAD-SECRET', 'project_shares', 'OTHER-TENANT']) expect(seen).not.toContain(secret);
		expect(staff.everything()).toContain('MARGE-SECRETE');
	});

	it('FEED-2 a partner loses a project the moment its share is revoked; another agency keeps it; the last one closes 4403', async () => {
		const sockets = new FakeSockets();
		const feed = new LiveFeed('ferme-verte', sockets.list);
		const partner = sockets.add();
		const otherAgency = sockets.add();
		await feed.join(partner, state('partner', { partnerId: 7, projects: [3, 4] }), null, emptyLog);
		await feed.join(otherAgency, state('partner', { partnerId: 8, projects: [3] }), null, emptyLog);
		const onProject = (n: number, p: number) => projectEvent(`p${p}-${n}`, {}, { id: p });
		// The revocation and the events after it arrive in one delivery: nothing of project 3 follows it.
		feed.publish(logged([onProject(1, 3), shareRevoked(3, 7), onProject(2, 3), onProject(3, 4)]));
		expect(partner.messages.map((m) => (m.type === 'event' ? m.event.row.id : m.type === 'revoked' ? `revoked ${m.projectId}` : m.type))).toEqual(['hello', 3, 'revoked 3', 4]);
		expect(otherAgency.seqs()).toEqual([1, 3]);
		expect(partner.state).toMatchObject({ projects: [4] });
		// Rebuilt after hibernation from the attachments alone, the feed still hides project 3.
		const woken = new LiveFeed('ferme-verte', sockets.list);
		woken.publish(logged([onProject(4, 3), onProject(5, 4)], 5));
		expect(partner.seqs()).toEqual([1, 4, 6]);
		woken.publish(logged([shareRevoked(4, 7)], 7));
		expect(partner.messages.at(-1)).toEqual({ type: 'revoked', projectId: 4 });
		expect(partner.closed).toEqual({ code: 4403, reason: 'no shared project left in this room' });
		expect(otherAgency.closed).toBeNull();
	});

	it('FEED-3 a watcher whose token expired is closed with 4401 when an event is about to go to it, and gets nothing', async () => {
		let now = Date.now();
		const sockets = new FakeSockets();
		const feed = new LiveFeed('ferme-verte', sockets.list, { now: () => now });
		const client = sockets.add();
		await feed.join(client, state('client', { exp: Math.floor(now / 1000) + 60 }), null, emptyLog);
		feed.publish(logged([projectEvent(1)]));
		now += 61_000;
		feed.publish(logged([shareRevoked(3, 7)], 2));
		expect(client.closed).toBeNull();
		feed.publish(logged([projectEvent(3)], 3));
		expect(client.closed).toEqual({ code: 4401, reason: 'token expired: reconnect' });
		expect(client.seqs()).toEqual([1]);
	});

	it('FEED-4 a joining watcher gets hello, then exactly the events after since, then live ones: no gap, no duplicate, while appends race', async () => {
		for (let seed = 1; seed <= 12; seed++) {
			const sockets = new FakeSockets();
			const feed = new LiveFeed('ferme-verte', sockets.list);
			// A tiny tail forces storage reads (with I/O delays) into the catch-up.
			const log = await LiveLog.open(new MemoryStorage(undefined, { delayMs: seed % 3 }), { tailSize: 5, onCommit: (e) => feed.publish(e) });
			// Several pages of backlog, so appends commit while the watcher is still reading it.
			for (let i = 0; i < 3; i++) await log.append(events(300 + seed * 7, `old${seed}-${i}-`));
			const since = (seed * 37) % 300;
			const socket = sockets.add();
			const appending = (async () => {
				for (let i = 0; i < 8; i++) await log.append(events(1 + ((seed + i) % 4), `new${seed}-${i}-`));
			})();
			await Promise.all([feed.join(socket, state('client'), since, log), appending]);
			expect(socket.messages[0]).toMatchObject({ type: 'hello', room: 'ferme-verte' });
			const expected = Array.from({ length: log.seq - since }, (_, i) => since + 1 + i);
			expect(socket.seqs(), `seed ${seed}`).toEqual(expected);
		}
	});

	it('FEED-5 resets a since ahead of the log or older than it, then carries on from the current seq', async () => {
		const sockets = new FakeSockets();
		const feed = new LiveFeed('ferme-verte', sockets.list);
		const reader: LogReader = { seq: 20, first: 11, read: async () => [] };
		const ahead = sockets.add();
		const old = sockets.add();
		const edge = sockets.add();
		await feed.join(ahead, state('client'), 21, reader);
		await feed.join(old, state('client'), 9, reader);
		expect(ahead.messages).toEqual([{ type: 'hello', room: 'ferme-verte', seq: 20 }, { type: 'reset', seq: 20, reason: 'ahead' }]);
		expect(old.messages).toEqual([{ type: 'hello', room: 'ferme-verte', seq: 20 }, { type: 'reset', seq: 20, reason: 'too-old' }]);
		feed.publish(logged([projectEvent(21)], 21));
		expect(ahead.seqs()).toEqual([21]);
		// since = first - 1 is still complete: no reset (here the reader lost the events, so the gap is caught instead).
		await feed.join(edge, state('client'), 10, { ...reader, read: async () => logged(events(3), 11) });
		expect(edge.seqs()).toEqual([11, 12, 13]);
		expect(edge.messages.at(-1)).toEqual({ type: 'reset', seq: 20, reason: 'too-old' });
	});

	it('FEED-6 a watcher that leaves while catching up is sent nothing more', async () => {
		const sockets = new FakeSockets();
		const feed = new LiveFeed('ferme-verte', sockets.list);
		const socket = sockets.add();
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const joining = feed.join(socket, state('client'), 0, { seq: 3, first: 1, read: async () => (await gate, logged(events(3))) });
		feed.leave(socket);
		release();
		await joining;
		expect(socket.messages.map((m) => m.type)).toEqual(['hello']);
	});

	it('FEED-7 ignores sockets not admitted yet (no attachment) and attachments of another shape', async () => {
		const sockets = new FakeSockets();
		const feed = new LiveFeed('ferme-verte', sockets.list);
		const pending = sockets.add();
		const odd = sockets.add();
		odd.setState({ ...state('designer'), v: 2 } as never);
		feed.publish(logged([projectEvent(1)]));
		expect([pending.messages, odd.messages]).toEqual([[], []]);
	});

	it('FEED-8 a watcher whose state does not fit an attachment is closed with 4413, not told to retry, and is no watcher', async () => {
		const sockets = new FakeSockets();
		const feed = new LiveFeed('ferme-verte', sockets.list, { log: () => {} });
		const socket = sockets.add();
		socket.maxStateBytes = 200;
		await feed.join(socket, state('partner', { partnerId: 7, projects: Array.from({ length: 300 }, (_, i) => i + 1) }), 0, emptyLog);
		expect(socket.closed).toEqual({ code: 4413, reason: 'your access lists too many projects for a live room' });
		expect(socket.messages).toEqual([]);
	});
});
