import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { WIRE_LIMITS, presenceFieldsSchema, type PresenceUser } from '../../shared/protocol';

/** Who sent an awareness update (the connection object itself): the relay ties awareness ids to the connection that first used them. */
export interface PresenceSender {
	readonly user: PresenceUser;
}

/**
 * The room's presence. Peers send y-protocols awareness updates; the relay keeps only the fields
 * in `presenceFieldsSchema`, replaces `user` with the identity from the sender's verified token, and
 * refuses updates for awareness ids another connection owns. So nobody can show up under someone
 * else's name or smuggle content into presence, read-only sockets included. A connection owns at most
 * `WIRE_LIMITS.awarenessIdsPerConnection` ids, so one socket cannot fill everyone's presence list.
 */
export class PresenceRelay {
	readonly awareness: awarenessProtocol.Awareness;
	private readonly owners = new Map<number, object>();
	private readonly owned = new Map<object, Set<number>>();

	constructor() {
		// The server has no presence of its own: a throwaway doc gives the Awareness its clientID.
		this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
		this.awareness.setLocalState(null);
	}

	/**
	 * Applies a peer's awareness update after sanitising it. `accepted`: how many entries went through (0 when all were
	 * dropped: someone else's id, a new id past the per-connection limit, an invalid or oversize state). `malformed`:
	 * bytes that are not an awareness update, or an update listing more entries than one connection may own
	 * (no honest client sends that); nothing is applied then.
	 */
	receive(sender: PresenceSender, update: Uint8Array): { ok: true; accepted: number } | { ok: false; reason: string } {
		const entries = readEntries(update);
		if (typeof entries === 'string') return { ok: false, reason: entries };
		const owned = this.owned.get(sender);
		let accepted = 0;
		const body = encoding.createEncoder();
		for (const { clientID, clock, raw } of entries) {
			const owner = this.owners.get(clientID);
			if (owner !== undefined && owner !== sender) continue;
			if (clientID === this.awareness.clientID) continue;
			// One connection owns at most a handful of ids: a flood of made-up ids is ignored, never re-broadcast.
			if (owner === undefined && (owned?.size ?? 0) >= WIRE_LIMITS.awarenessIdsPerConnection) continue;
			const state = raw.length > WIRE_LIMITS.awarenessStateBytes ? undefined : this.sanitise(raw, sender.user);
			if (state === undefined) continue;
			this.own(sender, clientID);
			encoding.writeVarUint(body, clientID);
			encoding.writeVarUint(body, clock);
			encoding.writeVarString(body, JSON.stringify(state));
			accepted++;
		}
		if (accepted === 0) return { ok: true, accepted };
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, accepted);
		encoding.writeUint8Array(encoder, encoding.toUint8Array(body));
		awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(encoder), sender);
		return { ok: true, accepted };
	}

	/** Forgets a closed connection's presence (others see it leave). */
	drop(key: object): void {
		const ids = this.owned.get(key);
		this.owned.delete(key);
		if (!ids) return;
		for (const id of ids) this.owners.delete(id);
		awarenessProtocol.removeAwarenessStates(this.awareness, [...ids], key);
	}

	/** Every current state, for a connection that just arrived. */
	snapshot(): Uint8Array | null {
		const ids = [...this.awareness.getStates().keys()];
		return ids.length === 0 ? null : awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids);
	}

	destroy(): void {
		this.awareness.destroy();
	}

	private own(key: object, clientID: number) {
		this.owners.set(clientID, key);
		let ids = this.owned.get(key);
		if (!ids) this.owned.set(key, (ids = new Set()));
		ids.add(clientID);
	}

	/** `null` (the peer left) passes; an object keeps only allowed fields plus the verified user; anything else is dropped. */
	private sanitise(raw: string, user: PresenceUser): Record<string, unknown> | null | undefined {
		let parsed: unknown;
		try {
			parsed = JSON.parse(raw);
		} catch {
			return undefined;
		}
		if (parsed === null) return null;
		if (typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
		const fields = presenceFieldsSchema.safeParse(parsed);
		return fields.success ? { ...fields.data, user } : { user };
	}
}

/** The entries of an awareness update, or why it is refused; read whole before anything is applied. */
function readEntries(update: Uint8Array): Array<{ clientID: number; clock: number; raw: string }> | string {
	try {
		const decoder = decoding.createDecoder(update);
		const count = decoding.readVarUint(decoder);
		if (count > WIRE_LIMITS.awarenessIdsPerConnection) return `presence lists ${count} ids, at most ${WIRE_LIMITS.awarenessIdsPerConnection} allowed`;
		const entries = [];
		for (let i = 0; i < count; i++) {
			entries.push({ clientID: decoding.readVarUint(decoder), clock: decoding.readVarUint(decoder), raw: decoding.readVarString(decoder) });
		}
		if (decoding.hasContent(decoder)) return 'malformed presence: trailing bytes';
		return entries;
	} catch {
		return 'malformed presence';
	}
}
