import type { App } from 'bknd';
import type { ShareRef } from '../shared/access';
import { shareAccessSchema } from '../shared/entities';

/**
 * A project's shares, read from the database on every call (never from a token), so a revoked share stops
 * counting at once. Server-side reads bypass bknd's guard: callers decide who may ask (mediaRules, projectMembers).
 */
export async function readProjectShares(app: App, projectId: number): Promise<ShareRef[]> {
	const rows = (await app.em.connection.kysely
		.selectFrom('project_shares')
		.select(['projects_id', 'partners_id', 'access', 'revoked_at'])
		.where('projects_id', '=', projectId)
		.execute()) as { projects_id: number; partners_id: number | null; access: string | null; revoked_at: string | null }[];
	return rows.map((s) => ({
		projectId: Number(s.projects_id),
		partnerId: positiveOrNull(s.partners_id),
		access: shareAccessSchema.safeParse(s.access).data ?? null,
		revokedAt: s.revoked_at ?? null
	}));
}

/** A positive integer id from a database or token value, else `null`. */
export function positiveOrNull(value: unknown): number | null {
	const n = Number(value);
	return value !== null && value !== undefined && Number.isSafeInteger(n) && n > 0 ? n : null;
}
