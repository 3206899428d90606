// Helpers for the live room's unit tests: recording sockets, events, signed deliveries.
import type { LiveEvent } from '../../shared/live/events';
import { signedHeaders } from '../../shared/live/signedMessage';
import type { LiveServerMessage } from '../../shared/live/wire';
import type { IncomingDelivery } from './deliveryCheck';
import type { WatcherSocket, WatcherState } from './LiveFeed';

export const BRIDGE = 'unit-bridge-secret-0123456789abcdefghij';
export const AT = '2026-11-26T08:00:00.000Z';

let sockets = 0;

/** A socket that records what the room sends it, with an attachment like PartyServer's (a structured clone). */
export class FakeWatcher implements WatcherSocket {
	readonly id = `w${++sockets}`;
	readonly messages: LiveServerMessage[] = [];
	closed: { code?: number; reason?: string } | null = null;
	private attachment: unknown = null;
	get state(): unknown {
		return this.attachment;
	}
	/** Attachments over this many bytes of JSON are refused, as workerd refuses those over 2 KiB. */
	maxStateBytes = Infinity;
	setState(state: WatcherState) {
		if (JSON.stringify(state).length > this.maxStateBytes) throw new Error("A WebSocket 'attachment' cannot be larger than 2048 bytes.");
		this.attachment = structuredClone(state);
		return this.attachment;
	}
	send(data: string) {
		if (this.closed) throw new Error('send on a closed socket');
		this.messages.push(JSON.parse(data) as LiveServerMessage);
	}
	close(code?: number, reason?: string) {
		this.closed ??= { code, reason };
	}
	/** Sequence numbers of the events received, in order. */
	seqs(): number[] {
		return this.messages.flatMap((m) => (m.type === 'event' ? [m.seq] : []));
	}
	everything(): string {
		return this.messages.map((m) => JSON.stringify(m)).join('\n');
	}
}

/** A set of sockets standing for `room.getConnections()`: open ones only, as PartyServer lists them. */
export class FakeSockets {
	readonly all: FakeWatcher[] = [];
	add(): FakeWatcher {
		const socket = new FakeWatcher();
		this.all.push(socket);
		return socket;
	}
	list = (): Iterable<FakeWatcher> => this.all.filter((s) => !s.closed);
}

export function projectEvent(id: number | string, extra: Partial<LiveEvent> = {}, row: LiveEvent['row'] = {}): LiveEvent {
	return {
		id: `projects:${id}:update:${AT}`.replace(/[^A-Za-z0-9:._-]/g, '_'),
		tenant: 'ferme-verte',
		entity: 'projects',
		op: 'update',
		at: AT,
		row: { id: 3, clients_id: 1, title: `Suivi ${id}`, internal_notes: 'MARGE-SECRETE', ...row },
		...extra
	};
}

export function events(count: number, prefix = 'e', tenant = 'ferme-verte'): LiveEvent[] {
	return Array.from({ length: count }, (_, i) => projectEvent(`${prefix}${i}`, { tenant }));
}

export function shareRevoked(projectId: number, partnerId: number): LiveEvent {
	return {
		id: `project_shares:${projectId}-${partnerId}:update:revoked`,
		tenant: 'ferme-verte',
		entity: 'project_shares',
		op: 'update',
		at: AT,
		row: { id: 90 + projectId, projects_id: projectId, partners_id: partnerId, access: 'viewer', revoked_at: AT }
	};
}

let deliveries = 0;

/** A delivery as bknd's bridge signs it; `tamper` changes it after signing. */
export async function signed(
	body: unknown,
	{ secret = BRIDGE, timestamp = Date.now(), deliveryId = `delivery${String(++deliveries).padStart(4, '0')}` }: { secret?: string; timestamp?: number; deliveryId?: string } = {}
): Promise<IncomingDelivery & { headerMap: Record<string, string> }> {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const headerMap = await signedHeaders(secret, text, { now: timestamp, id: deliveryId });
	return { headers: new Headers(headerMap), headerMap, body: text };
}

export function state(role: WatcherState['role'], extra: Partial<WatcherState> = {}): WatcherState {
	return { v: 1, role, room: 'ferme-verte', sub: '9', exp: Math.floor(Date.now() / 1000) + 3600, partnerId: null, projects: [], ...extra };
}

/** The Durable Object alarm of one room: `at` is when it will ring (`null`: none set). */
export class FakeAlarm {
	at: number | null = null;
	async getAlarm(): Promise<number | null> {
		return this.at;
	}
	async setAlarm(at: number): Promise<void> {
		this.at = at;
	}
}
