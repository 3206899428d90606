import { HEARTBEAT } from '../../../../shared/heartbeat';

export interface WatchdogOptions {
	/** Sends the ping on the open socket. */
	ping: () => void;
	/** Called once when the peer stayed silent past the answer time: drop the socket and reconnect. */
	dead: () => void;
	quietMs?: number;
	answerMs?: number;
}

/**
 * Notices a connection that died without a close (shared/heartbeat.ts). Call `heard()` for every frame received
 * (a pong or anything else: any frame proves the peer is there), `start()` when the socket opens and `stop()`
 * when it closes. Used by both room clients, so they agree on what "dead" means.
 *
 * @example
 * const watchdog = new Watchdog({ ping: () => socket.send(HEARTBEAT.ping), dead: () => socket.reconnect() });
 * socket.addEventListener('open', () => watchdog.start());
 * socket.addEventListener('message', () => watchdog.heard());
 * socket.addEventListener('close', () => watchdog.stop());
 */
export class Watchdog {
	private timer: ReturnType<typeof setTimeout> | null = null;
	private readonly quietMs: number;
	private readonly answerMs: number;

	constructor(private readonly options: WatchdogOptions) {
		this.quietMs = options.quietMs ?? HEARTBEAT.quietMs;
		this.answerMs = options.answerMs ?? HEARTBEAT.answerMs;
	}

	start(): void {
		this.heard();
	}

	/** The peer is alive: wait for the next silence. */
	heard(): void {
		this.clear();
		this.timer = setTimeout(() => this.ask(), this.quietMs);
	}

	stop(): void {
		this.clear();
	}

	private ask(): void {
		this.options.ping();
		this.timer = setTimeout(() => {
			this.timer = null;
			this.options.dead();
		}, this.answerMs);
	}

	private clear(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}

/** What `watchSocket` needs of a partysocket `ReconnectingWebSocket`. */
interface WatchedSocket {
	send(data: string): void;
	reconnect(code?: number, reason?: string): void;
	addEventListener(type: 'open', listener: () => void): void;
	addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
	addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
}

/**
 * Wires a room client's socket: a watchdog started on open, fed by every frame and stopped on close, which drops
 * and reconnects the socket when the room stops answering; `message` gets every frame but the heartbeat's pong.
 * Returns the watchdog (stop it when the client is destroyed).
 */
export function watchSocket(
	socket: WatchedSocket,
	handlers: { message: (data: unknown) => void; close: (code: number, reason: string) => void },
	timing?: { quietMs: number; answerMs: number }
): Watchdog {
	const watchdog = new Watchdog({ ping: () => socket.send(HEARTBEAT.ping), dead: () => socket.reconnect(1000, 'no answer from the room'), ...timing });
	socket.addEventListener('open', () => watchdog.start());
	socket.addEventListener('message', (event) => {
		watchdog.heard();
		if (event.data !== HEARTBEAT.pong) handlers.message(event.data);
	});
	socket.addEventListener('close', (event) => {
		watchdog.stop();
		handlers.close(event.code, event.reason);
	});
	return watchdog;
}
