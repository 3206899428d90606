import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from './events';
import { MONEY_FIELDS, PARTNER_FIELDS, SHARED_FIELDS, partnerMaySeeMetric, visibleEvent, withoutMoneyFor, type LiveViewer } from './visibility';

const at = '2026-11-26T08:00:00.000Z';
const project: LoggedEvent = {
	seq: 1, id: 'projects:3:update:a', tenant: 'ferme-verte', entity: 'projects', op: 'update', at,
	row: { id: 3, clients_id: 1, title: 'Suivi', status: 'in_progress', progress: 40, internal_notes: 'MARGE-SECRETE', margin_pct: 35, figma_file_key: 'FIG' }
};
const activity = (lane: 'client' | 'internal'): LoggedEvent => ({
	seq: 2, id: `activity:${lane}`, tenant: 'ferme-verte', entity: 'activity', op: 'insert', at,
	row: { projectId: 3, kind: 'thread.opened', lane, actorName: 'Hery', summary: 'Bouton' }
});
const lead: LoggedEvent = { seq: 3, id: 'leads:1:insert:a', tenant: null, entity: 'leads', op: 'insert', at, row: { id: 1, title: 'Prospect', email: 'x@y.mg' } };
const client: LoggedEvent = { seq: 4, id: 'clients:1:update:a', tenant: 'ferme-verte', entity: 'clients', op: 'update', at, row: { id: 1, name: 'Ferme Verte', slug: 'ferme-verte', contact_email: 'c@f.mg' } };
const share: LoggedEvent = { seq: 5, id: 'project_shares:1:update:a', tenant: 'ferme-verte', entity: 'project_shares', op: 'update', at, row: { id: 1, projects_id: 3, partners_id: 1, revoked_at: at } };

const viewer = (role: LiveViewer['role'], room = 'ferme-verte', projects = [3]): LiveViewer => ({ role, room, projects: new Set(projects) });

describe('visibleEvent (who sees what in a live room)', () => {
	it('staff see every event whole, leads and shares included', () => {
		for (const event of [project, activity('internal'), lead, client, share]) expect(visibleEvent(viewer('designer', 'fataplus'), event)).toBe(event);
	});

	it('a client never receives an internal field, an internal-lane activity, a lead or a share', () => {
		const seen = visibleEvent(viewer('client'), project)!;
		expect(seen.row).toEqual({ id: 3, clients_id: 1, title: 'Suivi', status: 'in_progress', progress: 40 });
		expect(JSON.stringify(seen)).not.toContain('MARGE-SECRETE');
		expect(visibleEvent(viewer('client'), activity('client'))).not.toBeNull();
		expect(visibleEvent(viewer('client'), activity('internal'))).toBeNull();
		expect(visibleEvent(viewer('client'), lead)).toBeNull();
		expect(visibleEvent(viewer('client'), share)).toBeNull();
		expect(visibleEvent(viewer('client'), client)!.row).toEqual({ id: 1, name: 'Ferme Verte', slug: 'ferme-verte' });
		// A project created after the client connected is still theirs: clients see their whole tenant.
		expect(visibleEvent(viewer('client', 'ferme-verte', []), project)).not.toBeNull();
	});

	it('nobody but staff receives another tenant’s event, even for a project id they hold', () => {
		expect(visibleEvent(viewer('client', 'atelier-sud'), project)).toBeNull();
		expect(visibleEvent(viewer('partner', 'atelier-sud'), activity('client'))).toBeNull();
	});

	it('a partner sees both lanes of its shared projects only, and never the client record', () => {
		expect(visibleEvent(viewer('partner'), activity('internal'))).not.toBeNull();
		expect(visibleEvent(viewer('partner', 'ferme-verte', [4]), activity('client'))).toBeNull();
		expect(visibleEvent(viewer('partner', 'ferme-verte', []), project)).toBeNull();
		expect(visibleEvent(viewer('partner'), client)).toBeNull();
	});

	it('HARDEN-MONEY-1 a partner never receives a budget; the client and staff of the same room do', () => {
		const budget: LoggedEvent = { ...project, row: { ...project.row, budget_mga: 45_000_000 } };
		expect(visibleEvent(viewer('partner'), budget)!.row).toEqual({ id: 3, clients_id: 1, title: 'Suivi', status: 'in_progress', progress: 40 });
		expect(visibleEvent(viewer('client'), budget)!.row).toMatchObject({ budget_mga: 45_000_000 });
		expect(visibleEvent(viewer('designer'), budget)!.row).toMatchObject({ budget_mga: 45_000_000 });
		// The partner's list is the shared one minus money, derived (not a second copy to keep in step).
		expect(PARTNER_FIELDS.projects).toEqual(SHARED_FIELDS.projects!.filter((f) => f !== 'budget_mga'));
		expect(PARTNER_FIELDS.project_metrics).toEqual(SHARED_FIELDS.project_metrics);
		expect(MONEY_FIELDS.projects).toContain('budget_mga');
	});

	it('HARDEN-MONEY-2 a metric in a currency (or without a unit) reaches a partner as its deletion, id only', () => {
		const metric = (unit: string | null, op: LoggedEvent['op'] = 'update'): LoggedEvent => ({
			seq: 6, id: `project_metrics:9:${op}:${unit}`, tenant: 'ferme-verte', entity: 'project_metrics', op, at,
			row: { id: 9, projects_id: 3, key: 'cost_per_farmer', value: 375_000, unit, date: '2026-01-05' }
		});
		for (const unit of ['MGA', 'Ar', ' ar ', 'ariary', '€', null, '']) {
			for (const op of ['insert', 'update', 'delete'] as const) {
				const seen = visibleEvent(viewer('partner'), metric(unit, op))!;
				expect({ unit, op, seen: { op: seen.op, row: seen.row } }).toEqual({ unit, op, seen: { op: 'delete', row: { id: 9, projects_id: 3 } } });
			}
			expect(visibleEvent(viewer('client'), metric(unit))!.row).toMatchObject({ value: 375_000 });
		}
		expect(visibleEvent(viewer('partner'), metric('producteurs'))).toMatchObject({ op: 'update', row: { value: 375_000, unit: 'producteurs' } });
		expect(partnerMaySeeMetric('ha')).toBe(true);
		expect(partnerMaySeeMetric('MGA')).toBe(false);
	});

	it('HARDEN-MONEY-3 page data read from bknd loses its money columns for a partner only', () => {
		const row = { id: 3, title: 'Suivi', budget_mga: 45_000_000 };
		expect(withoutMoneyFor('partner', 'projects', row)).toEqual({ id: 3, title: 'Suivi' });
		expect(withoutMoneyFor('client', 'projects', row)).toBe(row);
		expect(withoutMoneyFor('admin', 'projects', row)).toBe(row);
	});
});
