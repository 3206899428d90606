import { HEARTBEAT } from '../../../../shared/heartbeat';

/**
 * A WebSocket for unit tests of socket clients: nothing happens until the test says so (`open`, `receive`,
 * `drop`), so tests are deterministic. Every instance is recorded in `FakeWebSocket.all`, newest last.
 * Test-only; never imported by app code.
 */
export class FakeWebSocket extends EventTarget {
	static all: FakeWebSocket[] = [];
	static readonly CONNECTING = 0;
	static readonly OPEN = 1;
	static readonly CLOSING = 2;
	static readonly CLOSED = 3;

	readyState = FakeWebSocket.CONNECTING;
	binaryType = 'blob';
	/** What the client closed this socket with, if it did. */
	closedWith: { code?: number; reason?: string } | null = null;
	readonly sent: unknown[] = [];
	/**
	 * Heartbeat pings (shared/heartbeat.ts) are answered with a pong at once, as the rooms do, and counted here
	 * rather than in `sent`. Set false to play a peer that vanished without closing.
	 */
	answersPings = true;
	pings = 0;

	constructor(readonly url: string) {
		super();
		FakeWebSocket.all.push(this);
	}

	static reset(): void {
		FakeWebSocket.all = [];
	}

	/** The newest socket. */
	static get last(): FakeWebSocket {
		const socket = FakeWebSocket.all[FakeWebSocket.all.length - 1];
		if (!socket) throw new Error('no socket was opened');
		return socket;
	}

	/** `url`'s query parameters. */
	get params(): URLSearchParams {
		return new URL(this.url).searchParams;
	}

	/** The server accepts the connection. */
	open(): void {
		this.readyState = FakeWebSocket.OPEN;
		this.dispatchEvent(new Event('open'));
	}

	/** The server sends a JSON text frame (or raw text). */
	receive(message: unknown): void {
		this.dispatchEvent(new MessageEvent('message', { data: typeof message === 'string' ? message : JSON.stringify(message) }));
	}

	/** The server (or the network) closes the connection. */
	drop(code = 1006, reason = ''): void {
		this.readyState = FakeWebSocket.CLOSED;
		this.dispatchEvent(Object.assign(new Event('close'), { code, reason, wasClean: code !== 1006 }));
	}

	send(data: unknown): void {
		if (data === HEARTBEAT.ping) {
			this.pings++;
			if (this.answersPings) queueMicrotask(() => this.readyState === FakeWebSocket.OPEN && this.receive(HEARTBEAT.pong));
			return;
		}
		this.sent.push(data);
	}

	close(code?: number, reason?: string): void {
		this.closedWith = { code, reason };
		this.readyState = FakeWebSocket.CLOSED;
	}
}
