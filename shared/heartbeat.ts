/**
 * The heartbeat of every room socket (project and live rooms). A socket whose peer vanished without a close (a
 * laptop lid, a dropped mobile network, a frozen server) stays "open" for minutes; y-websocket and tldraw both
 * notice within tens of seconds, and so do we: after `quietMs` without any frame the client sends `ping`, and if
 * nothing at all arrives within `answerMs` more, it drops the socket and reconnects.
 *
 * Raw text, not JSON: a live room answers it with the runtime's WebSocket auto-response, without waking the
 * hibernating Durable Object. Project rooms answer it themselves (it counts as one text message).
 */
export const HEARTBEAT = {
	ping: 'ping',
	pong: 'pong',
	/** Silence before the client asks. Live rooms can be quiet for hours; project rooms renew presence every 15 s. */
	quietMs: 20_000,
	/** Time the answer (or any frame) may take before the socket counts as dead. */
	answerMs: 10_000
} as const;
