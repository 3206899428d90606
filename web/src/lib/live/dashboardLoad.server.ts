import { error, type RequestEvent } from '@sveltejs/kit';
import { budgetEstimateOf } from '$shared/crm/leadAnalysis';
import type { ClientRow, ProjectRow } from '$shared/entities';
import { SHARED_FIELDS, rowShowsMoneyTo, seesMoney, sharedFieldsFor } from '$shared/live/visibility';
import { isStaff, type Role, type SessionUser } from '$shared/roles';
import type { RoomTokenSubject } from '$shared/roomToken';
import { STAFF_LIVE_ROOM } from '$shared/tenants';
import { translate } from '$lib/i18n';
import { decideProjectRoomsToken } from '$lib/server/accessRules';
import { BkndUnavailableError, listClients, listProjects, listProjectsOfClient, proxyDataGet } from '$lib/server/bknd';
import { getEnv, type ServerEnv } from '$lib/server/env';
import { requireUser, withBknd } from '$lib/server/guards';
import { loadTenant } from '$lib/server/tenantFacts';
import { approvalsFor, openRoundCount, type Approval } from './approvals';
import type { DashboardSnapshot, Row } from './dashboardState';
import { SNAPSHOT_DEPENDENCY, type LiveJoin } from './liveJoin';
import { joinLiveRoom, liveSubject, liveSubjects } from './liveJoin.server';
import { readRounds } from './reviewRounds.server';

// The server half of the live dashboards: read the live room's number, THEN the snapshot from bknd (with the
// viewer's own token), and hand both to the page; the browser joins the feed at that number (LiveFeedClient).

type LoadEvent = Pick<RequestEvent, 'locals' | 'url' | 'platform'> & { depends: (...deps: `${string}:${string}`[]) => void };

export interface TenantDashboardData {
	live: LiveJoin;
	snapshot: DashboardSnapshot;
	/** Whether bknd answered the project metrics (an older backend has no `project_metrics`). */
	metricsAvailable: boolean;
	/** Whether the viewer may see money (budget, ROI): staff and the client, never a partner, whose data carries none. */
	showsMoney: boolean;
	/** Rounds waiting for the viewer; `null` when the project rooms could not be asked. Streamed. */
	approvals: Promise<Approval[] | null>;
}

export interface StaffDashboardData {
	live: LiveJoin;
	snapshot: DashboardSnapshot;
	leadsAvailable: boolean;
	/** Open review rounds per tenant slug; `null` when the rooms could not be asked. Streamed. */
	openRounds: Promise<Record<string, number> | null>;
}

/** A row with only `fields` of `source` that hold flat values (what the live feed would carry). */
function pick(source: Record<string, unknown>, fields: readonly string[], extra: Row = {}): Row {
	const row: Row = {};
	for (const field of fields) {
		const value = source[field];
		if (value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) row[field] = value;
	}
	return { ...row, ...extra };
}

// What the live feed would carry. The staff dashboard's; tenant dashboards pick per viewer (sharedFieldsFor:
// a partner gets no money there, as in its events).
const PROJECT_FIELDS = SHARED_FIELDS.projects!;
const CLIENT_FIELDS = SHARED_FIELDS.clients!;
const LEAD_FIELDS = ['id', 'title', 'company', 'status', 'source', 'clients_id', 'updated_at'] as const;

/** A GET of rows under bknd's data API with the user's token; `null` when bknd refuses or does not know the entity. */
async function readRows(env: ServerEnv, token: string, entity: string, query: Record<string, string>): Promise<Array<Record<string, unknown>> | null> {
	try {
		const { status, body } = await proxyDataGet(env, token, `entity/${entity}`, new URLSearchParams({ limit: '1000', ...query }));
		const data = (body as { data?: unknown } | null)?.data;
		if (status !== 200 || !Array.isArray(data)) {
			console.warn(`[dashboard] bknd ${entity}: ${status}`);
			return null;
		}
		return data.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null);
	} catch (caught) {
		// The projects are read the same way just before: bknd down there is a 503 page; here it only hides a panel.
		if (caught instanceof BkndUnavailableError) return null;
		throw caught;
	}
}

/**
 * The metrics of `projectIds` (bknd `project_metrics`) that `role` may see, oldest first; `null` when bknd did not
 * answer them. bknd's partner policy already leaves money metrics out: filtered again here, as the live feed does.
 */
async function readMetrics(env: ServerEnv, token: string, role: Role, projectIds: readonly number[]): Promise<Row[] | null> {
	if (projectIds.length === 0) return [];
	const rows = await readRows(env, token, 'project_metrics', { sort: 'date', where: JSON.stringify({ projects_id: { $in: projectIds } }) });
	const fields = sharedFieldsFor(role, 'project_metrics')!;
	return rows?.filter((r) => projectIds.includes(r.projects_id as number) && rowShowsMoneyTo(role, 'project_metrics', r)).map((r) => pick(r, fields)) ?? null;
}

/** The tenant page's load facts, from the tenant layout. */
export interface TenantParent {
	tenant: { id: number; slug: string };
	projects: ReadonlyArray<Pick<ProjectRow, 'id'>>;
}

/**
 * A client portal's data (`/[tenant]` and `/[tenant]/dashboard`): the live join point first, then the tenant's
 * projects the viewer may enter (and their metrics when `metrics`), then, streamed, the rounds waiting for them.
 */
export async function loadTenantDashboard(event: LoadEvent, parent: TenantParent, { metrics }: { metrics: boolean }): Promise<TenantDashboardData> {
	event.depends(SNAPSHOT_DEPENDENCY);
	const { user, token } = requireUser(event);
	const lang = event.locals.lang;
	const env = getEnv(event.platform);
	const slug = parent.tenant.slug;
	const subjects = await withBknd(lang, () => liveSubjects(env, token, user, slug));
	if (!subjects) error(403, translate(lang, 'api.tenantForbidden'));

	// 1. The room's number, 2. the snapshot. In this order: see LiveJoin.seq.
	const live = await joinLiveRoom(env, subjects.live, slug);
	const enterable = new Set(parent.projects.map((p) => p.id));
	const projects = (await withBknd(lang, () => listProjectsOfClient(env, token, parent.tenant.id))).filter((p) => enterable.has(p.id));
	const ids = projects.map((p) => p.id);
	const metricRows = metrics ? await withBknd(lang, () => readMetrics(env, token, user.role, ids)) : [];
	const projectFields = sharedFieldsFor(user.role, 'projects')!;

	const titles = new Map(projects.map((p) => [p.id, p.title]));
	return {
		live,
		snapshot: {
			tenant: slug,
			rows: { projects: projects.map((p) => pick(p, projectFields)), project_metrics: metricRows ?? [] }
		},
		metricsAvailable: metricRows !== null,
		showsMoney: seesMoney(user.role),
		approvals: subjects.projects ? approvalsOf(env, user, subjects.projects, slug, ids, titles) : Promise.resolve(null)
	};
}

/** Rounds waiting for `user` in the projects `ids` of tenant `slug`; never rejects (a failure reads as `null`). */
async function approvalsOf(env: ServerEnv, user: SessionUser, subject: RoomTokenSubject, slug: string, ids: number[], titles: Map<number, string>): Promise<Approval[] | null> {
	try {
		const rounds = await readRounds(env, subject, slug, ids);
		return rounds ? approvalsFor(rounds, String(user.id), titles) : null;
	} catch (caught) {
		console.error('[dashboard] approvals', caught);
		return null;
	}
}

/**
 * The rounds waiting for the signed-in user in tenant `slug` (the approvals endpoint, called again when the feed
 * says a round moved): `null` when the viewer may not see the tenant.
 */
export async function tenantApprovals(env: ServerEnv, token: string, user: SessionUser, slug: string): Promise<Approval[] | null | 'forbidden'> {
	const loaded = await loadTenant(env, token, user, slug);
	const subject = decideProjectRoomsToken(user, slug, loaded);
	if (!subject || !loaded.clientRow) return 'forbidden';
	const enterable = new Set(subject.projects);
	const projects = loaded.projectRows.filter((p) => enterable.has(p.id));
	return approvalsOf(env, user, subject, slug, projects.map((p) => p.id), new Map(projects.map((p) => [p.id, p.title])));
}

/**
 * The staff dashboard's data (`/crm/dashboard`): the `fataplus` room's number, then every tenant, project and
 * lead, then, streamed, the open review rounds per tenant. Staff only (403 otherwise).
 */
export async function loadStaffDashboard(event: LoadEvent): Promise<StaffDashboardData> {
	event.depends(SNAPSHOT_DEPENDENCY);
	const { user, token } = requireUser(event);
	const lang = event.locals.lang;
	if (!isStaff(user.role)) error(403, translate(lang, 'error.body403'));
	const env = getEnv(event.platform);
	const subject = await liveSubject(env, token, user, STAFF_LIVE_ROOM);
	if (!subject) error(403, translate(lang, 'error.body403'));

	const live = await joinLiveRoom(env, subject, STAFF_LIVE_ROOM);
	const [clients, projects, leads] = await withBknd(lang, () =>
		Promise.all([listClients(env, token), listProjects(env, token), readRows(env, token, 'leads', { sort: 'id' })])
	);
	const slugOf = new Map(clients.map((c) => [c.id, c.slug]));
	return {
		live,
		snapshot: {
			rows: {
				clients: clients.map((c) => pick(c, CLIENT_FIELDS)),
				projects: projects.map((p) => pick(p, PROJECT_FIELDS, { tenant: p.clients_id === null ? null : (slugOf.get(p.clients_id) ?? null) })),
				leads: (leads ?? []).map((l) => pick(l, LEAD_FIELDS, { estimate_mga: budgetEstimateOf(l.analysis) }))
			}
		},
		leadsAvailable: leads !== null,
		openRounds: openRoundsOf(env, user, clients, projects)
	};
}



/** Open review rounds per tenant slug, asked with a staff token per tenant; never rejects. */
export async function openRoundsOf(env: ServerEnv, user: SessionUser, clients: readonly ClientRow[], projects: readonly ProjectRow[]): Promise<Record<string, number> | null> {
	try {
		const counts: Record<string, number> = {};
		let answered = false;
		for (const client of clients) {
			const own = projects.filter((p) => p.clients_id === client.id);
			const facts = { client: { id: client.id, slug: client.slug }, projects: own.map((p) => ({ id: p.id, clientId: p.clients_id })), shares: [] };
			const subject = decideProjectRoomsToken(user, client.slug, facts);
			if (!subject) continue;
			const rounds = await readRounds(env, subject, client.slug, subject.projects);
			if (rounds === null) continue;
			answered = true;
			counts[client.slug] = openRoundCount(rounds);
		}
		return answered || clients.length === 0 ? counts : null;
	} catch (caught) {
		console.error('[dashboard] open rounds', caught);
		return null;
	}
}

/** Staff's open rounds endpoint: reads tenants and projects again with the user's token. */
export async function staffOpenRounds(env: ServerEnv, token: string, user: SessionUser): Promise<Record<string, number> | null> {
	const [clients, projects] = await Promise.all([listClients(env, token), listProjects(env, token)]);
	return openRoundsOf(env, user, clients, projects);
}
