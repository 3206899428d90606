import { describe, expect, it } from 'vitest';
import { liveEventSchema, liveRoomsFor } from './events';

const at = '2026-11-26T08:00:00.000Z';
const activity = { id: 'activity:ferme-verte.3:t1', tenant: 'ferme-verte', entity: 'activity', op: 'insert', at, row: { projectId: 3, kind: 'thread.opened', lane: 'client', actorName: 'Hery', summary: 'Bouton' } };

describe('live events (what publishers deliver)', () => {
	it('accepts activity rows with their camelCase fields as well as bknd’s snake_case rows', () => {
		expect(liveEventSchema.safeParse(activity).success).toBe(true);
		expect(liveEventSchema.safeParse({ ...activity, entity: 'projects', row: { id: 3, clients_id: 1, internal_notes: 'x' } }).success).toBe(true);
	});

	it('refuses a reserved slug as tenant (it would reach no tenant room), and keeps null for untenanted rows', () => {
		for (const tenant of ['fataplus', 'www', 'api']) expect(liveEventSchema.safeParse({ ...activity, tenant }).success).toBe(false);
		expect(liveEventSchema.safeParse({ ...activity, tenant: null }).success).toBe(true);
		expect(liveRoomsFor({ tenant: 'ferme-verte' })).toEqual(['ferme-verte', 'fataplus']);
		expect(liveRoomsFor({ tenant: null })).toEqual(['fataplus']);
	});

	it('never turns a __proto__ field into a prototype', () => {
		const parsed = liveEventSchema.parse(JSON.parse(JSON.stringify(activity).replace('"row":{', '"row":{"__proto__":{"polluted":true},')));
		expect(Object.getPrototypeOf(parsed.row)).toBe(Object.prototype);
		expect(Object.hasOwn(parsed.row, '__proto__')).toBe(false);
	});
});
