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
 * The token's `projects` lists every project of the tenant the user may enter, so one token serves every room the user could open there.
 */
export function decideRoomToken(user: SessionUser, ref: RoomRef, facts: TenantFacts): RoomDecision {
	const base = { sub: String(user.id), name: user.name.slice(0, 200), role: user.role };
	if ('staff' in ref) {
		return isStaff(user.role) ? { ok: true, subject: { ...base, tenant: STAFF_LIVE_ROOM, projects: [] } } : deny('staff-room');
	}
	const tenant = decideTenantPage(user, ref.tenant, facts);
	if (!tenant.ok) return deny('other-tenant');
	if (ref.party === 'project' && !tenant.enterable.includes(ref.projectId)) return deny('project-not-enterable');
	const subject: RoomTokenSubject = { ...base, tenant: ref.tenant, projects: tenant.enterable };
	// Partners carry their share level per project, so rooms know editor from viewer without asking bknd.
	if (user.role === 'partner') subject.partnerAccess = partnerAccessByProject(user, ownProjects(facts, tenant.clientId), facts.shares);
	return { ok: true, subject };
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
