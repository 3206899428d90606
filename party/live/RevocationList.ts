import type { LiveEvent } from '../../shared/live/events';
import type { LiveStorage } from './LiveStorage';

// Storage layout: revoked:<partner id>:<project id> → when the room learnt of the revocation (Unix ms).
// A share revocation event with no partner id is stored under `any` and applies to every partner.
const PREFIX = 'revoked:';

/** A project share that stopped, as a `project_shares` event tells it. */
export interface Revocation {
	/** The partner agency (`partners_id`), or `null` when the event does not say: then every partner loses the project. */
	partnerId: number | null;
	projectId: number;
}

/** The share an event revokes: a `project_shares` row deleted, or updated with `revoked_at` set. */
export function revocationOf(event: Pick<LiveEvent, 'entity' | 'op' | 'row'>): Revocation | null {
	if (event.entity !== 'project_shares') return null;
	const { projects_id: projectId, partners_id: partnerId, revoked_at: revokedAt } = event.row;
	if (typeof projectId !== 'number') return null;
	const revoked = event.op === 'delete' || (revokedAt !== undefined && revokedAt !== null && revokedAt !== false && revokedAt !== '');
	if (!revoked) return null;
	return { partnerId: typeof partnerId === 'number' ? partnerId : null, projectId };
}

/**
 * Share revocations a live room has seen, so that a partner reconnecting with a room token issued before the
 * revocation (still valid for up to a minute) does not get the project back: its token's `iat` is older.
 */
export class RevocationList {
	constructor(private readonly storage: LiveStorage) {}

	/** The entries recording `revocations` at `at`; written with the events that carry them (LiveLog.append). */
	record(revocations: readonly Revocation[], at: number): Record<string, unknown> {
		const entries: Record<string, unknown> = {};
		for (const r of revocations) entries[`${PREFIX}${r.partnerId ?? 'any'}:${r.projectId}`] = at;
		return entries;
	}

	/**
	 * Projects revoked for `partnerId` at or after `since` (Unix ms). A token without a partner id cannot be
	 * matched to an agency, so every partner's revocations apply to it: wrongly hiding a project costs a reconnect,
	 * wrongly showing one leaks it.
	 */
	async revokedSince(partnerId: number | null, since: number): Promise<Set<number>> {
		const scopes = partnerId === null ? [PREFIX] : [`${PREFIX}${partnerId}:`, `${PREFIX}any:`];
		const revoked = new Set<number>();
		for (const prefix of scopes) {
			for (const [key, at] of await this.storage.list<number>({ prefix })) {
				if (at >= since) revoked.add(Number(key.slice(key.lastIndexOf(':') + 1)));
			}
		}
		return revoked;
	}
}
