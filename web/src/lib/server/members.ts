import { isStaff, type SessionUser } from '$shared/roles';
import type { ProjectRow } from '$shared/entities';
import type { Member } from '$lib/review/members';
import { listSharesOfProject, listUsers } from './bknd';
import type { ServerEnv } from './env';

/**
 * The members of a project, for @mentions and the reviewer picker: the agency's staff, the users of the
 * project's client, and the users of partner agencies holding a live share of it.
 *
 * Only staff may read bknd's `users` and a project's shares, so for anyone else this answers `null` and the
 * page falls back to the people it can see (`knownMembers` in $lib/review/members.ts). Replace this one
 * function when a members endpoint exists.
 */
export async function loadProjectMembers(env: ServerEnv, token: string, viewer: SessionUser, project: Pick<ProjectRow, 'id' | 'clients_id'>): Promise<Member[] | null> {
	if (!isStaff(viewer.role)) return null;
	const [users, shares] = await Promise.all([listUsers(env, token), listSharesOfProject(env, token, project.id)]);
	const partners = new Set(shares.filter((s) => s.projects_id === project.id && !s.revoked_at && s.partners_id !== null).map((s) => s.partners_id!));
	return users
		.filter((u) =>
			isStaff(u.role) ||
			(u.role === 'client' && u.clientId !== null && u.clientId === project.clients_id) ||
			(u.role === 'partner' && u.partnerId !== null && partners.has(u.partnerId))
		)
		.map((u) => ({ userId: String(u.id), name: u.name.slice(0, 200), role: u.role }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
