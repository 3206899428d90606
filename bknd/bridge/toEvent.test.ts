import { describe, expect, it } from 'vitest';
import { DELIVERY_LIMITS } from '../../shared/live/delivery';
import { rowEventId } from '../../shared/live/events';
import { nextRevision } from './revision';
import { changeKey, publishedRow, sweptOp, toEvent } from './toEvent';

const revision = '2026-11-26T08:00:00.000Z';

describe('toEvent (what a row becomes in the rooms)', () => {
	it('rebuilds a row from the allowlist: a column nobody listed never leaves bknd', () => {
		const row = publishedRow('projects', { id: 3, title: 'Suivi', internal_notes: 'x', margin_pct: 20, secret_column: 'nope', updated_at: revision });
		expect(row).toEqual({ id: 3, title: 'Suivi', internal_notes: 'x', margin_pct: 20, updated_at: revision });
	});

	it('publishes a lead’s analysis summary, fit and budget estimate only, bounded', () => {
		const row = publishedRow('leads', { id: 1, title: 'L', analysis: { summary: 'a'.repeat(1000), fit: 'design', scoring: { private: true } } });
		expect(row).toEqual({ id: 1, title: 'L', analysis_summary: 'a'.repeat(280), analysis_fit: 'design', has_analysis: true, estimate_mga: null });
	});

	it('publishes what a pipeline card shows, so a live board needs no other request: industry, analysis state, estimate', () => {
		const analysis = JSON.stringify({ summary: 'Traçabilité', budget_range_mga: { min: 3_000_000, max: 5_000_000 }, budget_estimate_mga: 4_150_000, proposal_draft: 'never published' });
		const row = publishedRow('leads', { id: 2, title: 'Vanille', industry: 'agritech', analysis, analysis_status: 'done', analysis_source: 'claude', brief: { secret: 1 }, proposal_draft: 'x' });
		expect(row).toEqual({ id: 2, title: 'Vanille', industry: 'agritech', analysis_status: 'done', analysis_source: 'claude', analysis_summary: 'Traçabilité', has_analysis: true, estimate_mga: 4_150_000 });
		// A lead still being analysed: no analysis yet, and the card says so.
		expect(publishedRow('leads', { id: 3, title: 'Pending', analysis: null, analysis_status: 'pending' })).toEqual({ id: 3, title: 'Pending', analysis_status: 'pending', has_analysis: false, estimate_mga: null });
	});

	it('names the event by entity, row, op and revision (the listener and a sweep agree)', () => {
		const built = toEvent('projects', 'update', { id: 3, clients_id: 1, title: 'Suivi', updated_at: revision }, 'ferme-verte');
		if ('error' in built) throw new Error(built.error);
		expect(built.event).toEqual({
			id: rowEventId('projects', 3, 'update', revision),
			tenant: 'ferme-verte',
			entity: 'projects',
			op: 'update',
			row: { id: 3, clients_id: 1, title: 'Suivi', updated_at: revision },
			at: revision
		});
		expect(built.key).toBe(changeKey('projects', 3, 'insert', revision));
		expect(changeKey('projects', 3, 'delete', revision)).not.toBe(built.key);
	});

	it('tells an insert from an update by its stamps', () => {
		expect(sweptOp({ created_at: revision, updated_at: revision })).toBe('insert');
		expect(sweptOp({ created_at: revision, updated_at: '2026-11-26T08:00:00.001Z' })).toBe('update');
		expect(sweptOp({ created_at: null, updated_at: revision })).toBe('update');
	});

	it('refuses a row without a revision or id, and cuts texts of an event over the room’s per-event limit', () => {
		expect(toEvent('projects', 'update', { id: 3 }, null)).toHaveProperty('error');
		expect(toEvent('projects', 'update', { updated_at: revision }, null)).toHaveProperty('error');
		const long = 'é'.repeat(9_999);
		const built = toEvent('leads', 'insert', { id: 9, title: long, company: long, contact_name: long, email: long, phone: long, source: long, updated_at: revision }, null);
		if ('error' in built) throw new Error(built.error);
		expect(JSON.stringify(built.event).length).toBeLessThanOrEqual(DELIVERY_LIMITS.maxEventChars);
	});

	it('never hands out the same revision twice, even within one millisecond', () => {
		const now = Date.now();
		const stamps = [nextRevision(now), nextRevision(now), nextRevision(now)];
		expect(new Set(stamps).size).toBe(3);
		expect([...stamps].sort()).toEqual(stamps);
	});
});
