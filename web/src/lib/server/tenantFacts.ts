import type { ShareRef } from '$shared/access';
import type { ClientRow, ProjectRow, ProjectShareRow } from '$shared/entities';
import type { SessionUser } from '$shared/roles';
import { isTenantSlug } from '$shared/tenants';
import type { TenantFacts } from './accessRules';
import { findClientBySlug, listProjectsOfClient, listSharesOfPartner } from './bknd';
import type { ServerEnv } from './env';

/** `TenantFacts` plus the full rows, so pages can show what the rules looked at. */
export interface LoadedTenant extends TenantFacts {
	clientRow: ClientRow | null;
	projectRows: ProjectRow[];
	shareRows: ProjectShareRow[];
}

/** A bknd `project_shares` row as `shared/access.ts` reads it. */
export function toShareRef(row: ProjectShareRow): ShareRef {
	return { projectId: row.projects_id, partnerId: row.partners_id, access: row.access ?? null, revokedAt: row.revoked_at ?? null };
}

const NOTHING: LoadedTenant = { client: null, projects: [], shares: [], clientRow: null, projectRows: [], shareRows: [] };

/**
 * What bknd shows `user` (through the user's own token) about tenant `slug`: its client row, its projects
 * and, for a partner, the agency's shares. Feed it to `decideTenantPage` / `decideRoomToken`.
 */
export async function loadTenant(env: ServerEnv, token: string, user: SessionUser, slug: string): Promise<LoadedTenant> {
	if (!isTenantSlug(slug)) return NOTHING;
	const clientRow = await findClientBySlug(env, token, slug);
	if (!clientRow) return NOTHING;
	// A client of another tenant learns nothing more (bknd would filter it anyway).
	if (user.role === 'client' && user.clientId !== clientRow.id) return { ...NOTHING, client: { id: clientRow.id, slug: clientRow.slug }, clientRow };
	const [projectRows, shareRows] = await Promise.all([
		listProjectsOfClient(env, token, clientRow.id),
		user.role === 'partner' && user.partnerId !== null ? listSharesOfPartner(env, token, user.partnerId) : Promise.resolve([])
	]);
	return {
		client: { id: clientRow.id, slug: clientRow.slug },
		projects: projectRows.map((p) => ({ id: p.id, clientId: p.clients_id })),
		shares: shareRows.map(toShareRef),
		clientRow,
		projectRows,
		shareRows
	};
}
