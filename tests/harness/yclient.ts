import YPartyKitProvider from 'y-partykit/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { waitFor } from '../../scripts/lib/waitFor';

export interface YClient {
	doc: Y.Doc;
	provider: YPartyKitProvider;
	destroy(): void;
}

/** A real Yjs client over a real socket, as a browser tab would be; `disableBc` so two clients in one process only meet through the server. */
export async function connectYClient(roomsUrl: string, room: string, token: string): Promise<YClient> {
	const doc = new Y.Doc();
	const provider = new YPartyKitProvider(roomsUrl.replace(/^http:\/\//, ''), room, doc, {
		party: 'project',
		params: { token },
		disableBc: true,
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket
	});
	await waitFor(() => provider.synced, { timeout: 15_000, message: `sync with ${room}` });
	return {
		doc,
		provider,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}
