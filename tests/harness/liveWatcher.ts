import type { LoggedEvent } from '../../shared/live/events';
import { LIVE_PROTOCOL_VERSION, type LiveServerMessage } from '../../shared/live/wire';
import type { Role } from '../../shared/roles';
import { waitFor } from '../../scripts/lib/waitFor';
import { tryUpgrade, type RecordedSocket } from './rawSocket';
import { mintRoomToken } from './roomTokens';

/** A dashboard's socket on a live room, recording every frame. */
export class Watcher {
	/** When each event arrived (performance.now()), by event id: for delivery latency figures. */
	readonly arrivals = new Map<string, number>();

	private constructor(private readonly recorded: RecordedSocket) {
		recorded.socket.on('message', (data) => {
			const message = JSON.parse(String(data)) as LiveServerMessage;
			if (message.type === 'event' && !this.arrivals.has(message.event.id)) this.arrivals.set(message.event.id, performance.now());
		});
	}

	static async open(roomsUrl: string, room: string, role: Role, { since, projects = [] }: { since?: number; projects?: number[] } = {}): Promise<Watcher> {
		// Ten minutes: these watchers do not renew their tokens (the web app does, every 30 s).
		const token = await mintRoomToken({ tenant: room as never, role, projects }, { ttlSeconds: 600 });
		const url = `${roomsUrl.replace('http', 'ws')}/ws/live/${room}?token=${token}&v=${LIVE_PROTOCOL_VERSION}${since === undefined ? '' : `&since=${since}`}`;
		const outcome = await tryUpgrade(url);
		if (!outcome.upgraded) throw new Error(`live room ${room} refused the watcher: ${outcome.status} ${outcome.body}`);
		const watcher = new Watcher(outcome);
		await waitFor(() => watcher.messages().some((m) => m.type === 'hello'), { message: `hello from ${room}` });
		return watcher;
	}

	messages(): LiveServerMessage[] {
		return this.recorded.frames.map((frame) => JSON.parse(String(frame)) as LiveServerMessage);
	}

	/** The room's seq when this watcher joined. */
	helloSeq(): number {
		const hello = this.messages().find((m) => m.type === 'hello');
		return hello && hello.type === 'hello' ? hello.seq : -1;
	}

	events(): LoggedEvent[] {
		return this.messages().flatMap((m) => (m.type === 'event' ? [m.event] : []));
	}

	event(id: string): Promise<LoggedEvent> {
		return waitFor(() => this.events().find((e) => e.id === id), { timeout: 30_000, message: `event ${id}` });
	}

	close(): void {
		this.recorded.socket.close();
	}
}
