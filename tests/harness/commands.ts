import type { RoomClient, CommandReply } from '../../web/src/lib/rooms/RoomClient';

let counter = 0;
/** A unique command id per test run, as a browser would make one. */
export function cid(prefix = 'c'): string {
	return `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;
}

/** Sends a command and fails the test with the room's message if it was refused. */
export async function ok(client: RoomClient, command: Record<string, unknown>): Promise<Extract<CommandReply, { ok: true }>> {
	const reply = await client.command({ commandId: cid(), ...command } as never);
	if (!reply.ok) throw new Error(`${String(command.type)} refused: ${reply.code} ${reply.message}`);
	return reply;
}

export function createdId(reply: Extract<CommandReply, { ok: true }>, kind: string): string {
	const ref = reply.created.find((c) => c.kind === kind);
	if (!ref) throw new Error(`nothing of kind ${kind} created`);
	return ref.id;
}
