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
 * else's name or smuggle content into presence, read-only sockets included.
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

	/** Applies a peer's awareness update after sanitising it; returns false if nothing was accepted. */
	receive(sender: PresenceSender, update: Uint8Array): boolean {
		const decoder = decoding.createDecoder(update);
		const encoder = encoding.createEncoder();
		const count = decoding.readVarUint(decoder);
		let accepted = 0;
		const body = encoding.createEncoder();
		for (let i = 0; i < count; i++) {
			const clientID = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const raw = decoding.readVarString(decoder);
			const owner = this.owners.get(clientID);
			if (owner !== undefined && owner !== sender) continue;
			if (clientID === this.awareness.clientID) continue;
			const state = raw.length > WIRE_LIMITS.awarenessStateBytes ? undefined : this.sanitise(raw, sender.user);
			if (state === undefined) continue;
			this.own(sender, clientID);
			encoding.writeVarUint(body, clientID);
			encoding.writeVarUint(body, clock);
			encoding.writeVarString(body, JSON.stringify(state));
			accepted++;
		}
		if (accepted === 0) return false;
		encoding.writeVarUint(encoder, accepted);
		encoding.writeUint8Array(encoder, encoding.toUint8Array(body));
		awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(encoder), sender);
		return true;
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
