import { enterableProjectIds, partnerAccessByProject, type ProjectRef, type ShareRef } from '../../../../shared/access';
import { isStaff, type SessionUser } from '../../../../shared/roles';
import type { RoomRef } from '../../../../shared/roomNames';
import type { RoomTokenSubject } from '../../../../shared/roomToken';
import { STAFF_LIVE_ROOM, isTenantSlug } from '../../../../shared/tenants';

// Pure decisions (no I/O) for the tenant pages and the room token endpoint; the facts come from bknd
// read with the user's own token, so bknd's guard has already filtered them. These rules are defence in depth.

/** What bknd showed this user about one tenant. */
export interface TenantFacts {
	/** The tenant's `clients` row, or `null` if bknd did not show it. */
	client: { id: number; slug: string } | null;
	/** The tenant's projects as bknd listed them. */
	projects: readonly ProjectRef[];
	/** The user's partner shares (empty for other roles). */
	shares: readonly ShareRef[];
}

export type TenantDecision =
	| { ok: true; enterable: number[]; clientId: number }
	| { ok: false; status: 403 | 404; reason: 'unknown-tenant' | 'other-tenant' | 'no-share' };

/**
 * May `user` see the pages of tenant `slug` (rules TEN-1 to TEN-5, see accessRules.test.ts)?
 * Staff: any existing tenant (404 otherwise). A client: only its own. A partner: a tenant where it
 * holds at least one live share. Non-staff get 403 for any tenant not theirs, existing or not, so they learn nothing.
 */
export function decideTenantPage(user: SessionUser, slug: string, facts: TenantFacts): TenantDecision {
	if (!isTenantSlug(slug)) return { ok: false, status: 404, reason: 'unknown-tenant' };
	const client = facts.client?.slug === slug ? facts.client : null;
	if (!client) return isStaff(user.role) ? { ok: false, status: 404, reason: 'unknown-tenant' } : { ok: false, status: 403, reason: 'other-tenant' };
	if (user.role === 'client' && user.clientId !== client.id) return { ok: false, status: 403, reason: 'other-tenant' };
	const enterable = enterableIn(user, client.id, facts);
	if (user.role === 'partner' && enterable.length === 0) return { ok: false, status: 403, reason: 'no-share' };
	return { ok: true, enterable, clientId: client.id };
}

export type RoomDecision =
	| { ok: true; subject: RoomTokenSubject }
	| { ok: false; status: 403; reason: 'other-tenant' | 'project-not-enterable' | 'staff-room' };

/**
 * Whether `user` gets a token for room `ref`, and what it grants (rules TOK-1 to TOK-7, see accessRules.test.ts).
 * - Project room `<tenant>.<id>`: the tenant must be visible and the user's (for a client), and the
 *   project one the user may enter per `projectAccess`.
 * - Live room `<tenant>`: staff, the tenant's client users, or a partner with a live share there.
 * - Live room `fataplus`: staff only.
 * A project-room token's `projects` lists every project of the tenant the user may enter, so one token serves every
 * project room the user could open there; a live-room token lists them for partners only (see below).
 */
export function decideRoomToken(user: SessionUser, ref: RoomRef, facts: TenantFacts): RoomDecision {
	const base = { sub: String(user.id), name: user.name.slice(0, 200), role: user.role };
	if ('staff' in ref) {
		return isStaff(user.role) ? { ok: true, subject: { ...base, tenant: STAFF_LIVE_ROOM, projects: [] } } : deny('staff-room');
	}
	const tenant = decideTenantPage(user, ref.tenant, facts);
	if (!tenant.ok) return deny('other-tenant');
	if (ref.party === 'project' && !tenant.enterable.includes(ref.projectId)) return deny('project-not-enterable');
	if (ref.party === 'live') {
		// A live room filters clients and staff by tenant and role, and only partners by project. It also keeps
		// each watcher's connect URL, token included, in hibernation state capped at 2 KiB: a client token
		// listing every project of a large tenant would be refused there, so only partners carry their list.
		const subject: RoomTokenSubject = { ...base, tenant: ref.tenant, projects: user.role === 'partner' ? tenant.enterable : [] };
		if (user.role === 'partner' && user.partnerId !== null) subject.partnerId = user.partnerId;
		return { ok: true, subject };
	}
	return { ok: true, subject: projectRoomsSubject(user, ref.tenant, tenant.enterable, ownProjects(facts, tenant.clientId), facts) };
}

/**
 * A token subject for every project room of `tenant` that `user` may enter (server-side reads of several project
 * rooms, such as a dashboard's review rounds): what a project-room token of that tenant grants.
 */
export function decideProjectRoomsToken(user: SessionUser, tenant: string, facts: TenantFacts): RoomTokenSubject | null {
	const page = decideTenantPage(user, tenant, facts);
	if (!page.ok) return null;
	return projectRoomsSubject(user, tenant, page.enterable, ownProjects(facts, page.clientId), facts);
}

function projectRoomsSubject(user: SessionUser, tenant: string, enterable: number[], own: ProjectRef[], facts: TenantFacts): RoomTokenSubject {
	const subject: RoomTokenSubject = { sub: String(user.id), name: user.name.slice(0, 200), role: user.role, tenant, projects: enterable };
	// Partners carry their share level per project, so rooms know editor from viewer without asking bknd,
	// and their agency id, so a live room can match a share's revocation to their sockets.
	if (user.role === 'partner') {
		subject.partnerAccess = partnerAccessByProject(user, own, facts.shares);
		if (user.partnerId !== null) subject.partnerId = user.partnerId;
	}
	return subject;
}

/** The tenant's projects the user may enter; projects of another client (a bknd filter slip) never count. */
function enterableIn(user: SessionUser, clientId: number, facts: TenantFacts): number[] {
	return enterableProjectIds(user, ownProjects(facts, clientId), facts.shares);
}

function ownProjects(facts: TenantFacts, clientId: number): ProjectRef[] {
	return facts.projects.filter((p) => p.clientId === clientId);
}

function deny(reason: Extract<RoomDecision, { ok: false }>['reason']): RoomDecision {
	return { ok: false, status: 403, reason };
}
