import { describe, expect, it } from 'vitest';
import { liveEventSchema, type LiveEvent, type LoggedEvent } from '../../shared/live/events';
import { visibleEvent } from '../../shared/live/visibility';
import { ReviewRoom } from '../room/ReviewRoom';
import { claimsFor, commandText, GatedStore, join, ROOM_ID } from '../room/testRoom';
import { activityEventId, type ReviewActivity } from './reviewActivity';

let ids = 0;
async function roomWithActivity(onActivity: (a: ReviewActivity) => void = () => {}) {
	const seen: ReviewActivity[] = [];
	const room = await ReviewRoom.load({
		roomId: ROOM_ID,
		projectId: 3,
		store: new GatedStore(),
		newId: () => `id${++ids}`,
		log: () => {},
		verifyToken: async () => ({ ok: false, status: 401, error: 'unused' }),
		onActivity: (activity) => (seen.push(activity), onActivity(activity))
	});
	const staff = join(room, await claimsFor({ sub: '7', name: 'Hery Rakoto', role: 'designer' }));
	const send = async (command: Record<string, unknown>) => {
		await room.message(staff.connection, commandText(command));
		const reply = staff.socket.texts.at(-1)!;
		if (reply.type !== 'ack') throw new Error(`${String(command.type)}: ${JSON.stringify(reply)}`);
		return reply.created;
	};
	return { room, seen, send };
}

/** The live event a project room makes of an activity (as ProjectRoom.publishActivity does). */
const asEvent = ({ id, at, ...row }: ReviewActivity): LiveEvent => ({ id, tenant: 'ferme-verte', entity: 'activity', op: 'insert', row, at });

describe('review activity (what project rooms publish to live rooms)', () => {
	it('ACT-1 thread.create reports thread.opened in the thread’s lane; a client never sees the internal one or its words', async () => {
		const { seen, send } = await roomWithActivity();
		const [frame] = await send({ type: 'frame.add', commandId: 'f1', name: 'Accueil', width: 1440, height: 900 });
		const [clientThread] = await send({ type: 'thread.create', commandId: 't1', lane: 'client', frameId: frame!.id, anchor: { kind: 'frame' }, body: 'Le bouton est   trop petit', mentions: [] });
		const [internalThread] = await send({ type: 'thread.create', commandId: 't2', lane: 'internal', frameId: frame!.id, anchor: { kind: 'frame' }, body: 'MARGE-SECRETE: facturer plus', mentions: [] });
		expect(seen).toEqual([
			expect.objectContaining({ id: `activity:${ROOM_ID}:${clientThread!.id}`, kind: 'thread.opened', lane: 'client', projectId: 3, actorName: 'Hery Rakoto', summary: 'Le bouton est trop petit' }),
			expect.objectContaining({ id: `activity:${ROOM_ID}:${internalThread!.id}`, kind: 'thread.opened', lane: 'internal', summary: 'MARGE-SECRETE: facturer plus' })
		]);
		const client = { role: 'client' as const, room: 'ferme-verte', projects: new Set<number>() };
		const delivered = seen.map((a, i): LoggedEvent => ({ ...liveEventSchema.parse(asEvent(a)), seq: i + 1 }));
		const forClient = delivered.map((e) => visibleEvent(client, e)).filter((e) => e !== null);
		expect(forClient.map((e) => e.row.lane)).toEqual(['client']);
		expect(JSON.stringify(forClient)).not.toContain('MARGE-SECRETE');
	});

	it('ACT-2 resolve, reopen, versions and rounds report their lane, and a retried command reports nothing more', async () => {
		const { seen, send } = await roomWithActivity();
		const [frame] = await send({ type: 'frame.add', commandId: 'f1', name: 'Accueil', width: 1440, height: 900 });
		const [thread] = await send({ type: 'thread.create', commandId: 't1', lane: 'internal', frameId: frame!.id, anchor: { kind: 'frame' }, body: 'Interne', mentions: [] });
		await send({ type: 'thread.resolve', commandId: 'r1', threadId: thread!.id });
		await send({ type: 'thread.reopen', commandId: 'r2', threadId: thread!.id });
		await send({ type: 'version.add', commandId: 'v1', label: 'V-CACHEE', clientVisible: false });
		const [shown] = await send({ type: 'version.add', commandId: 'v2', label: 'V2 client', clientVisible: true });
		const [round] = await send({ type: 'round.open', commandId: 'o1', versionId: shown!.id, reviewers: ['7'], dueDate: '2026-12-01' });
		await send({ type: 'round.decide', commandId: 'd1', roundId: round!.id, decision: 'approved' });
		const count = seen.length;
		await send({ type: 'thread.resolve', commandId: 'r1', threadId: thread!.id });
		expect(seen.length).toBe(count);
		expect(seen.map((a) => [a.kind, a.lane, a.summary])).toEqual([
			['thread.opened', 'internal', 'Interne'],
			['thread.resolved', 'internal', 'Interne'],
			['thread.reopened', 'internal', 'Interne'],
			['version.added', 'internal', 'V-CACHEE'],
			['version.added', 'client', 'V2 client'],
			['round.opened', 'client', 'V2 client · due 2026-12-01'],
			['round.decided', 'client', 'approved']
		]);
		expect(seen[1]!.id).toBe(`activity:${ROOM_ID}:7.r1`);
		expect(new Set(seen.map((a) => a.id)).size).toBe(seen.length);
		for (const activity of seen) expect(liveEventSchema.safeParse(asEvent(activity)).success).toBe(true);
	});

	it('ACT-3 a failing activity listener never fails the command', async () => {
		const { room, send } = await roomWithActivity(() => {
			throw new Error('live rooms down');
		});
		const [frame] = await send({ type: 'frame.add', commandId: 'f1', name: 'Accueil', width: 1440, height: 900 });
		await send({ type: 'thread.create', commandId: 't1', lane: 'client', frameId: frame!.id, anchor: { kind: 'frame' }, body: 'Bonjour', mentions: [] });
		expect(room.view({ userId: '7', name: 'Hery', role: 'designer', partnerAccess: null }).threads).toHaveLength(1);
	});

	it('ACT-4 event ids fit the 160 characters of a live event id, even for long room and command ids', () => {
		const long = activityEventId(`${'t'.repeat(40)}.123456789012345`, `${'9'.repeat(64)}.${'c'.repeat(64)}`);
		expect(long.length).toBeLessThanOrEqual(160);
		expect(liveEventSchema.shape.id.safeParse(long).success).toBe(true);
		expect(long).not.toBe(activityEventId(`${'t'.repeat(40)}.123456789012345`, `${'9'.repeat(64)}.${'c'.repeat(63)}d`));
	});
});
