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
