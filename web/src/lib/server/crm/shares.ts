import { z } from 'zod';
import type { ShareGrant } from '$shared/crm/shareForm';
import { projectShareRowSchema, type ProjectShareRow } from '$shared/entities';
import type { PartnerOption, ShareView } from '$lib/components/crm/shareView';
import type { SessionUser } from '$shared/roles';
import type { FieldErrors } from '$lib/forms/fieldErrors';
import type { MessageKey } from '$lib/i18n';
import type { ServerEnv } from '../env';
import { insertRow, readAll, readById, updateRow } from './crmData';

export type { PartnerOption, ShareView };

// Sharing a project with a partner agency (bknd `project_shares`). A share is ended by setting `revoked_at`, never
// deleted, so the list keeps who granted what and when. bknd's guard reads a partner's live shares on every request
// (bknd/partnerScope.ts), so a revocation counts at the partner's next request; closing the partner's open sockets
// is the rooms' part (party/).

const partnerRow = z.object({ id: z.number(), name: z.string() }).loose();
const userNameRow = z.object({ id: z.number(), email: z.string(), name: z.string().nullish() }).loose();

/** Every partner agency by name. */
export function listPartners(env: ServerEnv, token: string): Promise<PartnerOption[]> {
	return readAll(env, token, 'partners', partnerRow, { sort: 'name', select: ['id', 'name'] }).then((rows) => rows.map(({ id, name }) => ({ id, name })));
}

/** Display names of users by id (staff may read users): for "granted by". */
async function userNames(env: ServerEnv, token: string, ids: number[]): Promise<Map<number, string>> {
	if (ids.length === 0) return new Map();
	const rows = await readAll(env, token, 'users', userNameRow, { where: { id: { $in: ids } }, select: ['id', 'email', 'name'] });
	return new Map(rows.map((u) => [u.id, u.name?.trim() || u.email]));
}

/** Active shares first, then the most recently granted. */
function byState(a: ShareView, b: ShareView): number {
	return Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || (b.grantedAt ?? '').localeCompare(a.grantedAt ?? '') || b.id - a.id;
}

/** The shares of these projects (revoked ones too), with partner and granter names. */
export async function sharesOfProjects(env: ServerEnv, token: string, projects: ReadonlyArray<{ id: number; title: string }>): Promise<ShareView[]> {
	if (projects.length === 0) return [];
	const [rows, partners] = await Promise.all([
		readAll(env, token, 'project_shares', projectShareRowSchema, { where: { projects_id: { $in: projects.map((p) => p.id) } } }),
		listPartners(env, token)
	]);
	const granters = await userNames(env, token, [...new Set(rows.map((s) => s.granted_by).filter((id): id is number => typeof id === 'number'))]);
	const titles = new Map(projects.map((p) => [p.id, p.title]));
	const partnerNames = new Map(partners.map((p) => [p.id, p.name]));
	return rows
		.map((s) => ({
			id: s.id,
			projectId: s.projects_id,
			projectTitle: s.projects_id === null ? null : (titles.get(s.projects_id) ?? null),
			partnerId: s.partners_id,
			partnerName: s.partners_id === null ? null : (partnerNames.get(s.partners_id) ?? null),
			access: s.access ?? null,
			grantedBy: typeof s.granted_by === 'number' ? (granters.get(s.granted_by) ?? null) : null,
			grantedAt: s.granted_at ?? null,
			revokedAt: s.revoked_at ?? null
		}))
		.sort(byState);
}

/** A project's sharing panel: its shares (active first) and the agencies it may be shared with. */
export async function projectSharing(env: ServerEnv, token: string, project: { id: number; title: string }): Promise<{ shares: ShareView[]; partners: PartnerOption[] }> {
	const [shares, partners] = await Promise.all([sharesOfProjects(env, token, [project]), listPartners(env, token)]);
	return { shares, partners };
}

export type ShareSave = { ok: true; share: ProjectShareRow } | { ok: false; status: number; errors: FieldErrors } | { ok: false; status: number; message: MessageKey };

/**
 * Shares project `projectId` with a partner agency, recording who granted it and when. One live share per agency
 * and project: a second grant is refused (`crm.shareExists`); to change the access, revoke and grant again.
 */
export async function grantShare(env: ServerEnv, token: string, granter: SessionUser, projectId: number, grant: ShareGrant): Promise<ShareSave> {
	const [partner, live] = await Promise.all([
		readById(env, token, 'partners', grant.partners_id, partnerRow),
		readAll(env, token, 'project_shares', projectShareRowSchema, {
			where: { projects_id: projectId, partners_id: grant.partners_id, revoked_at: { $isnull: true } },
			limit: 1
		})
	]);
	if (!partner) return { ok: false, status: 400, errors: { partners_id: { key: 'crm.choosePartner' } } };
	if (live.length > 0) return { ok: false, status: 409, errors: { partners_id: { key: 'crm.shareExists' } } };
	const result = await insertRow(env, token, 'project_shares', projectShareRowSchema, {
		projects_id: projectId,
		partners_id: grant.partners_id,
		access: grant.access,
		granted_by: granter.id,
		granted_at: new Date().toISOString(),
		revoked_at: null
	});
	if (result.ok) return { ok: true, share: result.row };
	console.warn(`[crm] bknd refused a share: ${result.status} ${result.message}`);
	return { ok: false, status: result.status, message: 'crm.saveRefused' };
}

/** Ends share `shareId` of project `projectId` (sets `revoked_at`; the row stays). Revoking a revoked share changes nothing. */
export async function revokeShare(env: ServerEnv, token: string, projectId: number, shareId: number): Promise<{ ok: true } | { ok: false; status: number; message: MessageKey }> {
	const share = await readById(env, token, 'project_shares', shareId, projectShareRowSchema);
	if (!share || share.projects_id !== projectId) return { ok: false, status: 404, message: 'crm.shareGone' };
	if (share.revoked_at) return { ok: true };
	const result = await updateRow(env, token, 'project_shares', shareId, projectShareRowSchema, { revoked_at: new Date().toISOString() });
	if (result.ok) return { ok: true };
	if (result.status === 404) return { ok: false, status: 404, message: 'crm.shareGone' };
	console.warn(`[crm] bknd refused a revocation: ${result.status} ${result.message}`);
	return { ok: false, status: result.status, message: 'crm.saveRefused' };
}
