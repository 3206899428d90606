import { afterAll, describe, expect, it } from 'vitest';
import { isRunning, processName, processTree } from '../../scripts/lib/processTree';
import { startRooms, type RoomsServer } from '../../scripts/lib/rooms';
import { waitFor } from '../../scripts/lib/waitFor';
import type { RoomClient } from '../../web/src/lib/rooms/RoomClient';
import { cid } from '../harness/commands';
import { mintRoomToken } from '../harness/roomTokens';
import { TEST_ROOM_TOKEN_SECRET } from '../harness/secrets';
import { connectRoomClient } from '../harness/roomClient';

const ROOM = 'atelier-sud.8';
const STAFF = { sub: '7', name: 'Hery Rakoto', role: 'designer' as const, tenant: 'atelier-sud', projects: [8] };

// Visible durability: an acknowledged command is in Durable Object storage. What must never happen:
// a command whose ack reached its sender missing after the room server is killed with SIGKILL.
describe('kill -9 in the middle of 1,000 commands', () => {
	let rooms: RoomsServer | undefined;

	afterAll(async () => {
		await rooms?.stop();
	});

	it('keeps every acknowledged command, and the document reloads', async () => {
		rooms = await startRooms({ secret: TEST_ROOM_TOKEN_SECRET });
		const { stateDir, port } = rooms;
		// workerd, a child of the rooms runtime, holds the rooms and their storage: it must be among the processes killed (found
		// now, before any command, so the crash below lands while commands are still in flight).
		const workerd = processTree(rooms.process.pid!).filter((pid) => processName(pid) === 'workerd');
		expect(workerd.length).toBeGreaterThan(0);
		const senders: RoomClient[] = await Promise.all(
			Array.from({ length: 50 }, (_, i) => connectRoomClient(rooms!.url, ROOM, () => mintRoomToken({ ...STAFF, sub: String(100 + i) })))
		);
		const acked = new Map<string, string>(); // commandId → frame id
		let sent = 0;
		for (const sender of senders) {
			for (let i = 0; i < 20; i++, sent++) {
				const commandId = cid('k');
				void sender.command({ type: 'frame.add', commandId, name: `Écran ${sent}`, width: 100 + sent, height: 100 } as never).then((reply) => {
					if (reply.ok) acked.set(commandId, reply.created[0]!.id);
				});
			}
		}
		expect(sent).toBe(1_000);
		// Crash once a good part is acknowledged and the rest is still in flight.
		await waitFor(() => acked.size >= 300, { timeout: 30_000, interval: 1, message: '300 acks' });
		const crashing = rooms.process.crash(); // SIGKILL is sent synchronously, before this returns
		const ackedAtCrash = new Map(acked); // the acks the client had when the server died
		await crashing;
		await waitFor(() => !workerd.some(isRunning), { message: 'workerd to be gone' });
		for (const sender of senders) sender.destroy();
		expect(ackedAtCrash.size).toBeGreaterThanOrEqual(300);

		rooms = await startRooms({ stateDir, port, secret: TEST_ROOM_TOKEN_SECRET });
		const reader = await connectRoomClient(rooms.url, ROOM, () => mintRoomToken(STAFF));
		const frames = reader.docs.client.getMap('frames');
		const missing = [...ackedAtCrash.values()].filter((id) => !frames.has(id));
		expect(missing).toEqual([]);
		console.log(`kill -9 after ${ackedAtCrash.size} acks: ${frames.size} frames stored of 1,000 sent, none of the acknowledged missing`);
		reader.destroy();
	}, 120_000);
});
