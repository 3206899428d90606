import { describe, expect, it } from 'vitest';
import { enterableProjectIds, projectAccess, type ProjectRef, type ShareRef } from './access';
import type { SessionUser } from './roles';

const user = (role: SessionUser['role'], extra: Partial<SessionUser> = {}): SessionUser => ({
	id: 1, email: `${role}@example.mg`, name: role, role, clientId: null, partnerId: null, ...extra
});
const fermeProject: ProjectRef = { id: 10, clientId: 1 };
const sudProject: ProjectRef = { id: 20, clientId: 2 };
const share = (extra: Partial<ShareRef> = {}): ShareRef => ({ projectId: 10, partnerId: 5, access: 'editor', revokedAt: null, ...extra });

// One row per cell of the rule: who may enter which project. Never may a client or a partner enter a project outside its rule.
describe('projectAccess', () => {
	it.each([
		// ACC-1: staff enter every project, whatever the shares say.
		['ACC-1 admin, any tenant', user('admin'), sudProject, [], { kind: 'staff' }],
		['ACC-1 designer, any tenant', user('designer'), fermeProject, [], { kind: 'staff' }],
		// ACC-2: a client enters only its own client's projects.
		['ACC-2 client, own project', user('client', { clientId: 1 }), fermeProject, [], { kind: 'client' }],
		['ACC-2 client, other tenant', user('client', { clientId: 1 }), sudProject, [], null],
		['ACC-2 client without client id', user('client'), fermeProject, [], null],
		['ACC-2 client, project without owner', user('client', { clientId: 1 }), { id: 11, clientId: null }, [], null],
		['ACC-2 client, a share does not help', user('client', { clientId: 1 }), sudProject, [share({ projectId: 20 })], null],
		// ACC-3: a partner enters only projects shared with its agency and not revoked.
		['ACC-3 partner, editor share', user('partner', { partnerId: 5 }), fermeProject, [share()], { kind: 'partner', access: 'editor' }],
		['ACC-3 partner, viewer share', user('partner', { partnerId: 5 }), fermeProject, [share({ access: 'viewer' })], { kind: 'partner', access: 'viewer' }],
		['ACC-3 partner, no share', user('partner', { partnerId: 5 }), fermeProject, [], null],
		['ACC-3 partner, share of another agency', user('partner', { partnerId: 5 }), fermeProject, [share({ partnerId: 6 })], null],
		['ACC-3 partner, share of another project', user('partner', { partnerId: 5 }), fermeProject, [share({ projectId: 20 })], null],
		['ACC-3 partner, revoked share', user('partner', { partnerId: 5 }), fermeProject, [share({ revokedAt: '2026-11-01T10:00:00Z' })], null],
		['ACC-3 partner without agency', user('partner'), fermeProject, [share({ partnerId: null })], null],
		// ACC-4: several live shares: the strongest access wins; a revoked editor share does not count.
		['ACC-4 viewer + editor', user('partner', { partnerId: 5 }), fermeProject, [share({ access: 'viewer' }), share()], { kind: 'partner', access: 'editor' }],
		['ACC-4 revoked editor + viewer', user('partner', { partnerId: 5 }), fermeProject, [share({ revokedAt: '2026-11-01' }), share({ access: 'viewer' })], { kind: 'partner', access: 'viewer' }],
		// A partner's own client id (should one be set by mistake) never opens a client's projects.
		['partner with a client id', user('partner', { partnerId: 5, clientId: 1 }), fermeProject, [], null]
	] as const)('%s', (_rule, who, project, shares, expected) => {
		expect(projectAccess(who, project, shares)).toEqual(expected);
	});
});

describe('enterableProjectIds', () => {
	it('keeps only the projects the user may enter, in order', () => {
		const partner = user('partner', { partnerId: 5 });
		const projects = [{ id: 12, clientId: 1 }, fermeProject, sudProject];
		expect(enterableProjectIds(partner, projects, [share()])).toEqual([10]);
		expect(enterableProjectIds(user('client', { clientId: 1 }), projects, [])).toEqual([12, 10]);
		expect(enterableProjectIds(user('designer'), projects, [])).toEqual([12, 10, 20]);
	});
});
