import type * as Party from 'partykit/server';

/** Largest frame a room accepts (the 256 KiB); bigger ones close the socket with 4413. */
export const MAX_FRAME_BYTES = 256 * 1024;

/**
 * Wraps a connection so that y-partykit's message listener sees only binary Yjs frames.
 * y-partykit 0.0.33 turns a text frame such as "200000000" into `new Uint8Array("200000000")`
 * and allocates that many bytes (see ../shared/PARTYKIT.md); text frames are ours, not its.
 * Everything else (send, close, readyState, identity as a Map key) goes to the real socket.
 */
export function binaryOnly(conn: Party.Connection): Party.Connection {
	return new Proxy(conn, {
		get(target, prop) {
			if (prop === 'addEventListener') {
				return (type: string, listener: (event: MessageEvent) => void, options?: unknown) => {
					const wrapped =
						type === 'message'
							? (event: MessageEvent) => {
									if (typeof event.data === 'string') return;
									if ((event.data as ArrayBuffer).byteLength > MAX_FRAME_BYTES) return;
									listener(event);
								}
							: listener;
					return (target.addEventListener as (t: string, l: unknown, o?: unknown) => void)(type, wrapped, options);
				};
			}
			const value = Reflect.get(target, prop, target);
			// workerd's native WebSocket methods throw "Illegal invocation" unless called on the real object.
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}
