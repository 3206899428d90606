import type { ShareAccess } from './entities';
import { isStaff, type SessionUser } from './roles';

/** The project as the access rule needs it: its id and the client (tenant) that owns it. */
export interface ProjectRef {
	id: number;
	clientId: number | null;
}

/** One partner share of a project, as stored in bknd's `project_shares`. */
export interface ShareRef {
	projectId: number | null;
	partnerId: number | null;
	access: ShareAccess | null;
	revokedAt: string | null;
}

/** How a user may enter a project; `null` means not at all. Later issues read `access` to decide editor rights. */
export type ProjectAccess =
	| { kind: 'staff' }
	| { kind: 'client' }
	| { kind: 'partner'; access: ShareAccess };

/**
 * Decides whether `user` may enter `project` (rule ACC-1 to ACC-4, see access.test.ts):
 * staff enter every project, a client only its own client's projects, a partner only
 * projects shared with its agency and not revoked. The single place this is decided.
 */
export function projectAccess(user: SessionUser, project: ProjectRef, shares: readonly ShareRef[]): ProjectAccess | null {
	if (isStaff(user.role)) return { kind: 'staff' };
	switch (user.role) {
		case 'client':
			return user.clientId !== null && project.clientId === user.clientId ? { kind: 'client' } : null;
		case 'partner': {
			if (user.partnerId === null) return null;
			// A share names one partner and one project; an agency may hold several shares, the strongest wins.
			let best: ShareAccess | null = null;
			for (const share of shares) {
				if (share.projectId !== project.id || share.partnerId !== user.partnerId || share.revokedAt) continue;
				if (share.access === 'editor') best = 'editor';
				else if (best === null) best = share.access ?? 'viewer';
			}
			return best === null ? null : { kind: 'partner', access: best };
		}
		default:
			return assertNever(user.role as never);
	}
}

/** The ids of `projects` that `user` may enter, in their given order. */
export function enterableProjectIds(user: SessionUser, projects: readonly ProjectRef[], shares: readonly ShareRef[]): number[] {
	return projects.filter((p) => projectAccess(user, p, shares) !== null).map((p) => p.id);
}

function assertNever(value: never): never {
	throw new Error(`unhandled role ${String(value)}`);
}

/** For a partner: the share level of each project it may enter, keyed by project id (for the room token). */
export function partnerAccessByProject(user: SessionUser, projects: readonly ProjectRef[], shares: readonly ShareRef[]): Record<string, ShareAccess> {
	const levels: Record<string, ShareAccess> = {};
	if (user.role !== 'partner') return levels;
	for (const project of projects) {
		const access = projectAccess(user, project, shares);
		if (access?.kind === 'partner') levels[String(project.id)] = access.access;
	}
	return levels;
}
