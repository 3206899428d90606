import { projectAccess } from '$shared/access';
import { isStaff, type SessionUser } from '$shared/roles';
import { listSharesOfPartner, readProject } from './bknd';
import type { ServerEnv } from './env';
import { toShareRef } from './tenantFacts';

/**
 * May `user` see the images of project `projectId` (the project a stored media name encodes)? The rule of
 * `projectAccess` (shared/access.ts) on what bknd shows the user now: staff always; a client only its
 * tenant's projects; a partner only projects shared with its agency by a live share. bknd checks it again
 * when the bytes are read (bknd/mediaRules.ts).
 */
export async function mayViewProjectMedia(env: ServerEnv, token: string, user: SessionUser, projectId: number): Promise<boolean> {
	if (isStaff(user.role)) return true;
	// bknd's guard filters the read: another tenant's project (or one no longer shared) is simply not there.
	const project = await readProject(env, token, projectId);
	if (!project) return false;
	const shares = user.role === 'partner' && user.partnerId !== null ? (await listSharesOfPartner(env, token, user.partnerId)).map(toShareRef) : [];
	return projectAccess(user, { id: project.id, clientId: project.clients_id }, shares) !== null;
}
