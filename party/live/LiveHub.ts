import { CLOSE, CLOSE_REASON } from '../../shared/closeCodes';
import { DELIVERY_LIMITS, type DeliveryAnswer } from '../../shared/live/delivery';
import type { LiveEvent } from '../../shared/live/events';
import type { LiveSeqAnswer } from '../../shared/live/wire';
import { roomPath } from '../../shared/roomNames';
import type { RoomTokenClaims } from '../../shared/roomToken';
import { STAFF_LIVE_ROOM } from '../../shared/tenants';
import type { Authorization } from '../roomAuth';
import { checkDelivery, type IncomingDelivery } from './deliveryCheck';
import { DeliveryLedger } from './DeliveryLedger';
import { LiveFeed, type WatcherSocket, type WatcherState } from './LiveFeed';
import { LiveLog, type LiveLogOptions } from './LiveLog';
import type { WatcherExpiry } from './WatcherExpiry';
import type { LiveStorage } from './LiveStorage';
import { readCappedText } from '../../shared/cappedBody';
import { RevocationList, revocationOf, type Revocation } from './RevocationList';

export interface LiveHubOptions {
	/** The live room id: a tenant slug, or `fataplus`. */
	roomId: string;
	storage: LiveStorage;
	/** Every open socket of the room (PartyServer's `getConnections()`, which survives hibernation). */
	sockets: () => Iterable<WatcherSocket>;
	/** `BRIDGE_SECRET`, or undefined when missing: then every delivery is refused with 500. */
	bridgeSecret: string | undefined;
	/** Checks a room token for this room (`GET …/seq`). */
	authorize: (token: string | null) => Promise<Authorization>;
	/**
	 * Told of share revocations new to this room's log, once stored, with the time the room recorded them; the
	 * delivery is answered after it resolves. Only a tenant room tells: `fataplus` holds the same events, and one
	 * revocation must reach the project room once. LiveRoom.ts forwards them to the project rooms (RevocationForwarder).
	 */
	onRevoked?: (revocations: Revocation[], at: number) => Promise<void>;
	/** Told of each watcher's token expiry as it is admitted or renewed, to close it then (LiveRoom.ts: WatcherExpiry on the room's alarm). */
	expiry?: Pick<WatcherExpiry, 'watch'>;
	now?: () => number;
	log?: (message: string, error?: unknown) => void;
	logOptions?: Pick<LiveLogOptions, 'keep' | 'pruneBatch' | 'tailSize'>;
}

export type HttpAnswer = { status: number; body: unknown };

/** How often accepted-delivery records past their replay window are deleted (at most). */
const FORGET_EVERY_MS = 60_000;

/**
 * One live room without PartyServer: the log, the watchers, the deliveries and the `seq` endpoint.
 * LiveRoom.ts authenticates sockets and forwards connect / close / request here.
 */
export class LiveHub {
	/** Deliveries are handled one at a time: a replay check and the write it guards cannot interleave with another's. */
	private deliveries: Promise<unknown> = Promise.resolve();
	private lastForget = 0;
	private readonly ledger: DeliveryLedger;
	private readonly revocations: RevocationList;
	private readonly now: () => number;
	private readonly logError: (message: string, error?: unknown) => void;

	private constructor(
		private readonly options: LiveHubOptions,
		readonly log: LiveLog,
		readonly feed: LiveFeed
	) {
		this.now = options.now ?? Date.now;
		this.logError = options.log ?? ((message, error) => console.error(`[live ${options.roomId}] ${message}`, error ?? ''));
		this.ledger = new DeliveryLedger(options.storage, this.now);
		this.revocations = new RevocationList(options.storage);
	}

	static async open(options: LiveHubOptions): Promise<LiveHub> {
		const feed = new LiveFeed(options.roomId, options.sockets, { now: options.now, log: options.log });
		const log = await LiveLog.open(options.storage, { ...options.logOptions, log: options.log, onCommit: (events) => feed.publish(events) });
		return new LiveHub(options, log, feed);
	}

	/** A watcher whose token was verified for this room; `since` is its last seq, or null for "from now". */
	async connect(socket: WatcherSocket, claims: RoomTokenClaims, since: number | null): Promise<void> {
		const state = await this.watcherState(claims);
		if (state.role === 'partner' && state.projects.length === 0) return socket.close(CLOSE.forbidden, CLOSE_REASON.noSharedProject);
		// join sets the socket's attachment before its first await, so the expiry alarm, set meanwhile, finds it.
		await Promise.all([this.feed.join(socket, state, since, this.log), this.options.expiry?.watch(state.exp)]);
	}

	/** A frame from a watcher: a token renewal (anything else closes the socket; see LiveFeed.renewalToken). */
	async message(socket: WatcherSocket, data: string | ArrayBuffer | ArrayBufferView): Promise<void> {
		const token = this.feed.renewalToken(socket, data);
		if (token === null) return;
		const auth = await this.options.authorize(token);
		if (!auth.ok) return this.feed.drop(socket, auth.status === 403 ? CLOSE.forbidden : CLOSE.unauthorized, `token refused: ${auth.error}`);
		const exp = this.feed.renew(socket, await this.watcherState(auth.claims));
		if (exp !== null) await this.options.expiry?.watch(exp);
	}

	/** What a verified token lets a watcher see here. A partner's shares revoked after the token was issued are gone even though it still lists them. */
	private async watcherState(claims: RoomTokenClaims): Promise<WatcherState> {
		let projects: number[] = [];
		const partnerId = claims.role === 'partner' ? (claims.partnerId ?? null) : null;
		if (claims.role === 'partner') {
			const revoked = await this.revocations.revokedSince(partnerId, claims.iat * 1000);
			projects = claims.projects.filter((p) => !revoked.has(p));
		}
		return { v: 1, role: claims.role, room: this.options.roomId, sub: claims.sub, exp: claims.exp, partnerId, projects };
	}

	leave(socket: Pick<WatcherSocket, 'id'>): void {
		this.feed.leave(socket);
	}

	/** `POST /ws/live/<room>/events` and `GET /ws/live/<room>/seq`; 404 for anything else. */
	async fetch(request: Request): Promise<Response> {
		const path = new URL(request.url).pathname;
		const base = roomPath('live', this.options.roomId);
		let answer: HttpAnswer;
		if (path === `${base}/events`) {
			if (request.method === 'POST') {
				const read = await readCappedText(request, DELIVERY_LIMITS.maxBodyBytes);
				answer = !read.ok && read.status === 400
					? { status: 400, body: { error: 'the body is not UTF-8 text' } }
					: await this.deliver({ headers: request.headers, body: read.ok ? read.text : null });
			} else answer = { status: 405, body: { error: 'POST events here' } };
		} else if (path === `${base}/seq`) {
			answer = request.method === 'GET' ? await this.seq(request.headers.get('authorization')) : { status: 405, body: { error: 'GET the seq here' } };
		} else {
			answer = { status: 404, body: { error: 'not found' } };
		}
		return Response.json(answer.body, { status: answer.status, headers: { 'cache-control': 'no-store' } });
	}

	/**
	 * A signed delivery. Answers only once its events are stored (or it was refused, storing nothing); the
	 * watchers get the events as the log commits them.
	 */
	async deliver(incoming: IncomingDelivery): Promise<HttpAnswer> {
		const checked = await checkDelivery(incoming, { secret: this.options.bridgeSecret, roomId: this.options.roomId, now: this.now() });
		if (!checked.ok) return { status: checked.status, body: { error: checked.error } };
		// Revocations carried by events new to the log: a re-sent or swept copy of an event records and tells nothing again.
		let revoked: Revocation[] = [];
		let at = 0;
		const run = this.deliveries.then(async (): Promise<HttpAnswer> => {
			if (await this.ledger.seen(checked.deliveryId)) return { status: 409, body: { error: `delivery ${checked.deliveryId} was already received` } };
			const delivery = this.ledger.record(checked.deliveryId, checked.timestamp);
			const extra = (fresh: readonly LiveEvent[]) => {
				revoked = fresh.map(revocationOf).filter((r) => r !== null);
				at = this.now();
				return { ...delivery, ...this.revocations.record(revoked, at) };
			};
			try {
				const result = await this.log.append(checked.events, extra);
				return { status: 200, body: { accepted: result.appended.length, duplicates: result.duplicates, seq: result.seq } satisfies DeliveryAnswer };
			} catch (error) {
				revoked = [];
				this.logError('storing a delivery failed', error);
				return { status: 500, body: { error: 'not stored: storage failed, deliver again' } };
			}
		});
		this.deliveries = run.then(() => this.forgetExpiredDeliveries()).catch((error) => this.logError('delivery queue', error));
		const answer = await run;
		// Outside the one-at-a-time queue: telling project rooms must not hold up the next delivery.
		if (revoked.length > 0 && this.options.onRevoked && this.options.roomId !== STAFF_LIVE_ROOM) {
			await this.options.onRevoked(revoked, at).catch((error) => this.logError('telling project rooms of a revocation failed', error));
		}
		return answer;
	}

	/** `{ seq }` for a room token of this room. */
	async seq(authorization: string | null): Promise<HttpAnswer> {
		const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : null;
		const auth = await this.options.authorize(token);
		if (!auth.ok) return { status: auth.status, body: { error: auth.error } };
		return { status: 200, body: { seq: this.log.seq } satisfies LiveSeqAnswer };
	}

	private async forgetExpiredDeliveries(): Promise<void> {
		if (this.now() - this.lastForget < FORGET_EVERY_MS) return;
		this.lastForget = this.now();
		await this.ledger.forgetExpired();
	}
}
