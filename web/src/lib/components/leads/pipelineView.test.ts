import { describe, expect, it } from 'vitest';
import { cardView, pipelineColumns } from './pipelineView';

const snapshotRow = { id: 1, title: 'Site vitrine', company: 'Hôtel Ravinala', industry: 'tourism', status: 'new', clients_id: null, created_at: '2026-11-20T08:00:00.000Z', updated_at: '2026-11-20T08:00:00.000Z', estimate_mga: 8_000_000, analysis_status: 'done', analysis_source: 'claude', has_analysis: true };

describe('pipeline cards', () => {
	it('PIPE-1 a snapshot row is a full card: estimate, industry and the analysis badge', () => {
		expect(cardView(snapshotRow, undefined)).toMatchObject({ id: 1, status: 'new', estimateMga: 8_000_000, industry: 'tourism', badge: 'claude', converted: false, extrasKnown: true });
	});

	it('PIPE-2 a lead that arrived live waits for its extras, then shows them; older extras never override a newer row', () => {
		const live = { id: 2, title: 'Traçabilité vanille', company: null, status: 'new', created_at: '2026-11-21T08:00:00.000Z', updated_at: '2026-11-21T08:00:00.000Z' };
		expect(cardView(live, undefined)).toMatchObject({ extrasKnown: false, estimateMga: null, badge: 'none', company: null });
		const extras = { id: 2, updated_at: '2026-11-21T08:00:00.000Z', estimate_mga: 4_150_000, analysis_status: 'pending', analysis_source: null, has_analysis: false, industry: 'agritech' };
		expect(cardView(live, extras)).toMatchObject({ extrasKnown: true, estimateMga: 4_150_000, badge: 'pending', industry: 'agritech' });
		// The analysis finished (a later revision arrived live): the pending extras are stale until refetched.
		const later = { ...live, updated_at: '2026-11-21T08:01:00.000Z' };
		expect(cardView(later, extras)).toMatchObject({ extrasKnown: false, badge: 'none' });
	});

	it('PIPE-3 columns follow the pipeline order, newest first, with their value; a card being moved shows in its new column', () => {
		const rows = [
			snapshotRow,
			{ ...snapshotRow, id: 3, status: 'won', estimate_mga: 2_000_000, created_at: '2026-11-22T08:00:00.000Z' },
			{ ...snapshotRow, id: 4, status: 'won', estimate_mga: null, created_at: '2026-11-23T08:00:00.000Z' },
			{ ...snapshotRow, id: 5, status: 'archived' }
		];
		const columns = pipelineColumns(rows, {});
		expect(columns.map((c) => c.status)).toEqual(['new', 'qualified', 'proposal', 'won', 'lost']);
		expect(columns.find((c) => c.status === 'won')).toMatchObject({ totalMga: 2_000_000, cards: [{ id: 4 }, { id: 3 }] });
		// An unknown status is shown as new rather than lost from the board.
		expect(columns[0]!.cards.map((c) => c.id)).toEqual([5, 1]);
		const moved = pipelineColumns(rows, {}, { 1: 'proposal' });
		expect(moved.find((c) => c.status === 'proposal')!.cards.map((c) => c.id)).toEqual([1]);
		expect(moved[0]!.cards.map((c) => c.id)).toEqual([5]);
	});
});
