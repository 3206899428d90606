import { presenceSchema, type Presence } from '../../../../shared/presence';

/** Someone shown in "Qui est là". */
export interface Peer extends Presence {
	/** This browser tab's own entry. */
	self: boolean;
}

/**
 * The people in a room from its awareness states: validated (peers are untrusted), one entry per
 * user even with several tabs open, yourself first, then by name.
 */
export function peersFromAwareness(states: ReadonlyMap<number, unknown>, selfClientId: number): Peer[] {
	return peersFromPeople(
		[...states].map(([clientId, state]) => ({ clientId, user: (state as { user?: unknown } | null)?.user })),
		selfClientId
	);
}

/** The same from `RoomClient.people()`, where your own entry carries the identity the room gave you. */
export function peersFromPeople(people: Iterable<{ clientId: number; user: unknown }>, selfClientId: number): Peer[] {
	const byUser = new Map<string, Peer>();
	for (const { clientId, user } of people) {
		const parsed = presenceSchema.safeParse(user);
		if (!parsed.success) continue;
		const self = clientId === selfClientId;
		const known = byUser.get(parsed.data.userId);
		if (!known || self) byUser.set(parsed.data.userId, { ...parsed.data, self: self || (known?.self ?? false) });
	}
	return [...byUser.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
}

export { initials } from '../initials';
