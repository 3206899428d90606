import WebSocket from 'ws';

/** A raw socket that records every frame from its first moment, so no early message is missed. */
export interface RecordedSocket {
	socket: WebSocket;
	/** Every frame received, in order (text as string, binary as Buffer). */
	frames: Array<string | Buffer>;
}

export type UpgradeOutcome = ({ upgraded: true } & RecordedSocket) | { upgraded: false; status: number; body: string };

/** Opens a raw WebSocket and reports whether the server upgraded it or refused it (status and body). */
export function tryUpgrade(url: string): Promise<UpgradeOutcome> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(url);
		const frames: Array<string | Buffer> = [];
		socket.on('message', (data, isBinary) => frames.push(isBinary ? (data as Buffer) : data.toString()));
		socket.once('open', () => resolve({ upgraded: true, socket, frames }));
		socket.once('unexpected-response', (_req, res) => {
			let body = '';
			res.on('data', (chunk: Buffer) => (body += chunk.toString()));
			res.on('end', () => resolve({ upgraded: false, status: res.statusCode ?? 0, body }));
		});
		socket.once('error', (error) => {
			if (socket.readyState !== WebSocket.CLOSED) reject(error);
		});
	});
}
