import { describe, expect, it } from 'vitest';
import type { ShareRef } from '../../../../shared/access';
import type { SessionUser } from '../../../../shared/roles';
import { parseRoomRef, type RoomRef } from '../../../../shared/roomNames';
import { decideProjectRoomsToken, decideRoomToken, decideTenantPage, type TenantFacts } from './accessRules';

const admin: SessionUser = { id: 1, email: 'admin@fata.plus', name: 'Admin', role: 'admin', clientId: null, partnerId: null };
const designer: SessionUser = { ...admin, id: 2, role: 'designer', name: 'Designer' };
const fermeClient: SessionUser = { id: 3, email: 'client@ferme-verte.mg', name: 'Rivo', role: 'client', clientId: 10, partnerId: null };
const sudClient: SessionUser = { id: 4, email: 'client@atelier-sud.mg', name: 'Lova', role: 'client', clientId: 20, partnerId: null };
const partner: SessionUser = { id: 5, email: 'partner@studio-partenaire.mg', name: 'Studio', role: 'partner', clientId: null, partnerId: 7 };

const share = (projectId: number, extra: Partial<ShareRef> = {}): ShareRef => ({ projectId, partnerId: 7, access: 'viewer', revokedAt: null, ...extra });

// ferme-verte (client 10) has projects 1, 2, 3; the partner holds a share of project 2.
const ferme: TenantFacts = {
	client: { id: 10, slug: 'ferme-verte' },
	projects: [{ id: 1, clientId: 10 }, { id: 2, clientId: 10 }, { id: 3, clientId: 10 }],
	shares: []
};
const fermeForPartner: TenantFacts = { ...ferme, projects: [{ id: 2, clientId: 10 }], shares: [share(2)] };
const hidden: TenantFacts = { client: null, projects: [], shares: [] };

const ref = (room: string): RoomRef => {
	const parsed = parseRoomRef(room);
	if (!parsed) throw new Error(`bad test room ${room}`);
	return parsed;
};

describe('decideTenantPage', () => {
	it('TEN-1: staff see any existing tenant with all its projects', () => {
		expect(decideTenantPage(admin, 'ferme-verte', ferme)).toMatchObject({ ok: true, enterable: [1, 2, 3] });
		expect(decideTenantPage(designer, 'ferme-verte', ferme)).toMatchObject({ ok: true, enterable: [1, 2, 3] });
	});

	it('TEN-2: an unknown tenant is 404 for staff, and 404 for anyone when the slug cannot exist', () => {
		expect(decideTenantPage(admin, 'nope', hidden)).toMatchObject({ ok: false, status: 404 });
		expect(decideTenantPage(fermeClient, 'Not_A_Slug', hidden)).toMatchObject({ ok: false, status: 404 });
		expect(decideTenantPage(fermeClient, 'crm', hidden)).toMatchObject({ ok: false, status: 404 });
	});

	it('TEN-3: a client sees its own tenant and gets 403 for any other', () => {
		expect(decideTenantPage(fermeClient, 'ferme-verte', ferme)).toMatchObject({ ok: true, enterable: [1, 2, 3] });
		expect(decideTenantPage(sudClient, 'ferme-verte', hidden)).toMatchObject({ ok: false, status: 403 });
		// Even if bknd's filter slipped and showed the row, the client id decides.
		expect(decideTenantPage(sudClient, 'ferme-verte', ferme)).toMatchObject({ ok: false, status: 403 });
	});

	it('TEN-4: a partner sees a tenant only with a live share there, and only the shared projects', () => {
		expect(decideTenantPage(partner, 'ferme-verte', fermeForPartner)).toMatchObject({ ok: true, enterable: [2] });
		expect(decideTenantPage(partner, 'ferme-verte', { ...fermeForPartner, shares: [share(2, { revokedAt: '2026-01-01' })] }))
			.toMatchObject({ ok: false, status: 403, reason: 'no-share' });
		expect(decideTenantPage(partner, 'atelier-sud', hidden)).toMatchObject({ ok: false, status: 403 });
	});

	it('TEN-5: a row with another slug than asked never counts', () => {
		expect(decideTenantPage(admin, 'atelier-sud', ferme)).toMatchObject({ ok: false, status: 404 });
	});
});

describe('decideRoomToken', () => {
	it('TOK-1: staff get every project of the tenant', () => {
		const d = decideRoomToken(admin, ref('ferme-verte.2'), ferme);
		expect(d).toEqual({ ok: true, subject: { sub: '1', name: 'Admin', role: 'admin', tenant: 'ferme-verte', projects: [1, 2, 3] } });
	});

	it('TOK-2: a client enters its own projects, not another tenant', () => {
		expect(decideRoomToken(fermeClient, ref('ferme-verte.3'), ferme)).toMatchObject({ ok: true, subject: { tenant: 'ferme-verte', projects: [1, 2, 3] } });
		expect(decideRoomToken(sudClient, ref('ferme-verte.3'), hidden)).toEqual({ ok: false, status: 403, reason: 'other-tenant' });
	});

	it('TOK-3: a project the user cannot enter is 403, even in its own tenant', () => {
		expect(decideRoomToken(fermeClient, ref('ferme-verte.99'), ferme)).toEqual({ ok: false, status: 403, reason: 'project-not-enterable' });
		expect(decideRoomToken(partner, ref('ferme-verte.1'), { ...ferme, shares: [share(2)] })).toEqual({ ok: false, status: 403, reason: 'project-not-enterable' });
	});

	it('TOK-4: a partner token lists only its shared, unrevoked projects', () => {
		const facts: TenantFacts = { ...ferme, shares: [share(2), share(3, { revokedAt: '2026-02-01' }), share(1, { partnerId: 8 })] };
		expect(decideRoomToken(partner, ref('ferme-verte.2'), facts)).toMatchObject({ ok: true, subject: { role: 'partner', projects: [2] } });
	});

	it('TOK-8: a partner token carries its share level per project; other roles carry none', () => {
		const facts: TenantFacts = { ...ferme, shares: [share(2), share(1, { access: 'editor' })] };
		const decision = decideRoomToken(partner, ref('ferme-verte.2'), facts);
		expect(decision).toMatchObject({ ok: true, subject: { partnerAccess: { '1': 'editor', '2': 'viewer' } } });
		const staff = decideRoomToken(admin, ref('ferme-verte.2'), ferme);
		expect(staff.ok && 'partnerAccess' in staff.subject).toBe(false);
	});

	it('TOK-5: the tenant live room admits staff, its clients and partners with a share there', () => {
		expect(decideRoomToken(designer, ref('ferme-verte'), ferme)).toMatchObject({ ok: true });
		expect(decideRoomToken(fermeClient, ref('ferme-verte'), ferme)).toMatchObject({ ok: true });
		expect(decideRoomToken(partner, ref('ferme-verte'), fermeForPartner)).toMatchObject({ ok: true, subject: { projects: [2] } });
		expect(decideRoomToken(partner, ref('ferme-verte'), { ...fermeForPartner, shares: [] })).toMatchObject({ ok: false, status: 403 });
		expect(decideRoomToken(sudClient, ref('ferme-verte'), hidden)).toMatchObject({ ok: false, status: 403 });
	});

	it('TOK-10: reading every project room of a tenant (dashboards) grants exactly the enterable projects', () => {
		expect(decideProjectRoomsToken(fermeClient, 'ferme-verte', ferme)).toMatchObject({ tenant: 'ferme-verte', projects: [1, 2, 3] });
		expect(decideProjectRoomsToken(partner, 'ferme-verte', fermeForPartner)).toMatchObject({ projects: [2], partnerAccess: { '2': expect.any(String) } });
		expect(decideProjectRoomsToken(sudClient, 'ferme-verte', hidden)).toBeNull();
	});

	it('TOK-9: live-room tokens stay small: only partners list projects (with their agency id), no share levels', () => {
		// A hibernating live room keeps the connect URL, token included, in 2 KiB of socket state.
		const many: TenantFacts = { ...ferme, projects: Array.from({ length: 400 }, (_, i) => ({ id: i + 1, clientId: ferme.projects[0]!.clientId })) };
		expect(decideRoomToken(fermeClient, ref('ferme-verte'), many)).toMatchObject({ ok: true, subject: { projects: [] } });
		expect(decideRoomToken(designer, ref('ferme-verte'), many)).toMatchObject({ ok: true, subject: { projects: [] } });
		const forPartner = decideRoomToken(partner, ref('ferme-verte'), fermeForPartner);
		expect(forPartner).toMatchObject({ ok: true, subject: { projects: [2] } });
		expect(forPartner.ok && 'partnerAccess' in forPartner.subject).toBe(false);
		expect(forPartner.ok && forPartner.subject.partnerId).toBe(partner.partnerId);
	});

	it('TOK-6: the fataplus live room is for staff only', () => {
		expect(decideRoomToken(admin, ref('fataplus'), hidden)).toEqual({
			ok: true,
			subject: { sub: '1', name: 'Admin', role: 'admin', tenant: 'fataplus', projects: [] }
		});
		expect(decideRoomToken(fermeClient, ref('fataplus'), hidden)).toEqual({ ok: false, status: 403, reason: 'staff-room' });
		expect(decideRoomToken(partner, ref('fataplus'), hidden)).toEqual({ ok: false, status: 403, reason: 'staff-room' });
	});

	it('TOK-7: projects of another client slipped into the list are never granted', () => {
		const facts: TenantFacts = { ...ferme, projects: [...ferme.projects, { id: 50, clientId: 20 }] };
		expect(decideRoomToken(admin, ref('ferme-verte.50'), facts)).toEqual({ ok: false, status: 403, reason: 'project-not-enterable' });
	});
});
