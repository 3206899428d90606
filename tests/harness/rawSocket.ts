import WebSocket from 'ws';

export type UpgradeOutcome = { upgraded: true; socket: WebSocket } | { upgraded: false; status: number; body: string };

/** Opens a raw WebSocket and reports whether the server upgraded it or refused it (status and body). */
export function tryUpgrade(url: string): Promise<UpgradeOutcome> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(url);
		socket.once('open', () => resolve({ upgraded: true, socket }));
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
