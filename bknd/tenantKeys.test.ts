import { describe, expect, it } from 'vitest';
import { tenantKeysIn } from './tenantKeys';

describe('tenantKeysIn', () => {
	it('finds a tenant key in a single row, a bulk insert and a bulk update', () => {
		expect(tenantKeysIn('projects', { title: 'x', clients_id: 2 })).toEqual(['clients_id']);
		expect(tenantKeysIn('leads', [{ title: 'a' }, { title: 'b', clients_id: 1 }])).toEqual(['clients_id']);
		expect(tenantKeysIn('projects', { update: { clients_id: 2 }, where: { id: 1 } })).toEqual(['clients_id']);
		expect(tenantKeysIn('project_shares', { partners_id: 3, projects_id: 4 })).toEqual(['projects_id', 'partners_id']);
	});

	it('finds nothing in bodies without one, or for entities without tenant keys', () => {
		expect(tenantKeysIn('projects', { title: 'x', where: { clients_id: 1 } })).toEqual([]);
		expect(tenantKeysIn('clients', { id: 2 })).toEqual([]);
		expect(tenantKeysIn('projects', undefined)).toEqual([]);
		expect(tenantKeysIn('projects', 'clients_id')).toEqual([]);
	});
});
