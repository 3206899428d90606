import type { App } from 'bknd';

// bknd's filter policies cannot join: a policy can say "projects whose id is in @user.x" but not "projects that
// have a live share for my agency". So on each partner request we compute that list ourselves and put it on the
// request's user, where the guard's `@user.shared_project_ids` / `@user.shared_client_ids` placeholders read it
// (policies.ts). Computed per request, from the database, never from the token: revoking a share (setting
// `revoked_at`) takes effect on the partner's very next request, without a new login.

export interface PartnerScope {
	/** Projects shared with the agency by a share that is not revoked. */
	projectIds: number[];
	/** The clients owning those projects (so the web app can resolve a tenant slug for a partner). */
	clientIds: number[];
}

/** The projects and clients a partner agency may read right now (empty for an unknown agency). */
export async function partnerScope(app: App, partnerId: unknown): Promise<PartnerScope> {
	if (typeof partnerId !== 'number' || !Number.isInteger(partnerId) || partnerId <= 0) {
		return { projectIds: [], clientIds: [] };
	}
	// One indexed query through bknd's own connection (app.em bypasses the guard: this is the guard's input).
	const rows = (await app.em.connection.kysely
		.selectFrom('project_shares as s')
		.innerJoin('projects as p', 'p.id', 's.projects_id')
		.select(['p.id as project_id', 'p.clients_id as client_id'])
		.where('s.partners_id', '=', partnerId)
		.where('s.revoked_at', 'is', null)
		.execute()) as { project_id: number; client_id: number | null }[];

	const projectIds = new Set<number>();
	const clientIds = new Set<number>();
	for (const row of rows) {
		projectIds.add(Number(row.project_id));
		if (row.client_id !== null) clientIds.add(Number(row.client_id));
	}
	return { projectIds: [...projectIds], clientIds: [...clientIds] };
}

/**
 * The projects of a client's tenant (for `@user.client_project_ids`: metrics are readable like their project).
 * Computed per request like the partner's scope, so a project moved to another tenant stops counting at once.
 */
export async function clientProjectIds(app: App, clientId: unknown): Promise<number[]> {
	if (typeof clientId !== 'number' || !Number.isInteger(clientId) || clientId <= 0) return [];
	const rows = (await app.em.connection.kysely.selectFrom('projects').select('id').where('clients_id', '=', clientId).execute()) as { id: number }[];
	return rows.map((row) => Number(row.id));
}
