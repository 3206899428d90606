import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DELIVERY_HEADERS, DELIVERY_LIMITS, deliveryBodySchema, deliveryIdSchema } from '../../shared/live/delivery';
import type { LiveEvent } from '../../shared/live/events';
import { sameSignature, signDelivery } from '../../shared/live/signature';
import { STAFF_LIVE_ROOM } from '../../shared/tenants';

// Tests only: a stand-in for the live rooms' delivery endpoint (node:http, port 0). It checks each delivery
// exactly as shared/live/delivery.ts and signature.ts specify (headers, age, HMAC over
// `<timestamp>.<delivery>.<body>`, replayed delivery ids, body shape, tenant of each event) and keeps, per
// room, the events it accepted in order, dropping re-sent ids like the room does. It can be down (not
// listening), hang (never answer) or refuse chosen events (400).

export const TEST_BRIDGE_SECRET = 'bridge-test-secret-0123456789abcdef-0123';

export interface ReceivedDelivery {
	room: string;
	status: number;
	/** The raw body text (to prove what never leaves bknd). */
	body: string;
	eventIds: string[];
}

export class TestReceiver {
	/** `up`: answer; `hang`: keep requests open without an answer. */
	mode: 'up' | 'hang' = 'up';
	/** Event ids answered with 400 whenever a delivery contains them. */
	readonly refuseIds = new Set<string>();
	/** Every delivery that reached the handler, in arrival order. */
	readonly deliveries: ReceivedDelivery[] = [];
	/** Deliveries whose signature did not verify (must stay 0 for bknd's). */
	badSignatures = 0;
	private readonly accepted = new Map<string, LiveEvent[]>();
	private readonly seenIds = new Map<string, Set<string>>();
	private readonly seenDeliveries = new Set<string>();
	private readonly sockets = new Set<Socket>();
	private server: Server | null = null;

	private constructor(
		private readonly secret: string,
		public port: number
	) {}

	/** Starts listening on a free loopback port. */
	static async start(secret: string = TEST_BRIDGE_SECRET): Promise<TestReceiver> {
		const receiver = new TestReceiver(secret, 0);
		await receiver.up();
		return receiver;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The events a room accepted, in order, each once. */
	events(room: string): LiveEvent[] {
		return this.accepted.get(room) ?? [];
	}

	/** Listens again (on the same port once it had one). */
	async up(): Promise<void> {
		if (this.server) return;
		const server = createServer((req, res) => void this.handle(req, res));
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.once('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.port, '127.0.0.1', () => resolve());
		});
		this.port = (server.address() as AddressInfo).port;
		this.server = server;
	}

	/** Stops listening and drops every connection: deliveries now fail to connect. */
	async down(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = null;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			for (const socket of this.sockets) socket.destroy();
		});
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const room = /^\/ws\/live\/([^/]+)\/events$/.exec(req.url ?? '')?.[1];
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks).toString('utf8');
		if (this.mode === 'hang') {
			this.deliveries.push({ room: room ?? '', status: 0, body, eventIds: [] });
			return; // never answered: the bridge must give up on its own
		}
		const answer = (status: number, json: unknown, eventIds: string[] = []) => {
			this.deliveries.push({ room: room ?? '', status, body, eventIds });
			res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
		};
		if (req.method !== 'POST' || !room) return answer(404, { error: 'not a delivery route' });
		if (Buffer.byteLength(body) > DELIVERY_LIMITS.maxBodyBytes) return answer(413, { error: 'too large' });

		const header = (name: string) => String(req.headers[name] ?? '');
		const timestamp = header(DELIVERY_HEADERS.timestamp);
		const deliveryId = header(DELIVERY_HEADERS.delivery);
		const signature = header(DELIVERY_HEADERS.signature);
		if (!/^[0-9]{1,16}$/.test(timestamp) || !deliveryIdSchema.safeParse(deliveryId).success || !/^sha256=[0-9a-f]{64}$/.test(signature)) {
			this.badSignatures++;
			return answer(401, { error: 'unsigned' });
		}
		if (Math.abs(Date.now() - Number(timestamp)) > DELIVERY_LIMITS.maxAgeMs) {
			this.badSignatures++;
			return answer(401, { error: 'stale' });
		}
		if (!sameSignature(await signDelivery(this.secret, Number(timestamp), deliveryId, body), signature)) {
			this.badSignatures++;
			return answer(401, { error: 'wrong signature' });
		}
		if (this.seenDeliveries.has(deliveryId)) return answer(409, { error: 'replayed delivery id' });
		this.seenDeliveries.add(deliveryId);

		let parsed;
		try {
			parsed = deliveryBodySchema.safeParse(JSON.parse(body));
		} catch {
			return answer(400, { error: 'not JSON' });
		}
		if (!parsed.success) return answer(400, { error: parsed.error.message });
		const { events } = parsed.data;
		const ids = events.map((e) => e.id);
		if (events.some((e) => room !== STAFF_LIVE_ROOM && e.tenant !== room)) return answer(400, { error: 'event of another tenant' }, ids);
		if (ids.some((id) => this.refuseIds.has(id))) return answer(400, { error: 'refused on purpose' }, ids);

		const seen = this.seenIds.get(room) ?? new Set<string>();
		this.seenIds.set(room, seen);
		const log = this.accepted.get(room) ?? [];
		this.accepted.set(room, log);
		let accepted = 0;
		for (const event of events) {
			if (seen.has(event.id)) continue;
			seen.add(event.id);
			log.push(event);
			accepted++;
		}
		answer(200, { accepted, duplicates: events.length - accepted, seq: log.length }, ids);
	}
}
