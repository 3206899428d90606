import { describe, expect, it } from 'vitest';
import { canManageRole, newUserSchema, rolesManageableBy } from './user';

describe('who may create whom', () => {
	it('USER-RULE-1 an admin manages every role, a designer only clients and partners, others nobody', () => {
		expect(rolesManageableBy('admin')).toEqual(['admin', 'designer', 'partner', 'client']);
		expect(rolesManageableBy('designer')).toEqual(['client', 'partner']);
		expect(canManageRole('designer', 'admin')).toBe(false);
		expect(canManageRole('designer', 'designer')).toBe(false);
		expect(rolesManageableBy('client')).toEqual([]);
		expect(rolesManageableBy('partner')).toEqual([]);
	});
});

describe('newUserSchema', () => {
	const issues = (value: unknown) => newUserSchema.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}:${i.message}`) ?? [];

	it('USER-RULE-2 reads form values (strings, empty selects) and JSON alike, and normalises the email', () => {
		expect(newUserSchema.parse({ email: ' Fara@Ferme-Verte.MG ', name: 'Fara', role: 'client', clientId: '3', partnerId: '' })).toEqual({
			email: 'fara@ferme-verte.mg',
			name: 'Fara',
			role: 'client',
			clientId: 3,
			partnerId: null
		});
		expect(newUserSchema.parse({ email: 'a@b.mg', name: 'Lova', role: 'partner', partnerId: 2 })).toMatchObject({ partnerId: 2, clientId: null });
		// Staff belong to no tenant or agency, whatever was sent.
		expect(newUserSchema.parse({ email: 'a@b.mg', name: 'Hery', role: 'designer', clientId: 1, partnerId: 1 })).toMatchObject({ clientId: null, partnerId: null });
	});

	it('USER-RULE-3 a client needs a tenant, a partner an agency; unknown fields and roles are refused', () => {
		expect(issues({ email: 'a@b.mg', name: 'Fara', role: 'client' })).toEqual(['clientId:users.tenantRequired']);
		expect(issues({ email: 'a@b.mg', name: 'Lova', role: 'partner', clientId: '2' })).toEqual(['partnerId:users.agencyRequired']);
		expect(issues({ email: 'pas-une-adresse', name: '', role: 'client', clientId: 1 })).toEqual(['email:form.email', 'name:form.required']);
		expect(issues({ email: 'a@b.mg', name: 'X', role: 'superuser' })).toEqual(['role:form.choose']);
		expect(newUserSchema.safeParse({ email: 'a@b.mg', name: 'X', role: 'client', clientId: 1, password: 'x' }).success).toBe(false);
	});
});
