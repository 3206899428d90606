import { describe, expect, it } from 'vitest';
import { cardView, pipelineColumns } from './pipelineView';

const snapshotRow = { id: 1, title: 'Site vitrine', company: 'Hôtel Ravinala', industry: 'tourism', status: 'new', clients_id: null, created_at: '2026-11-20T08:00:00.000Z', updated_at: '2026-11-20T08:00:00.000Z', estimate_mga: 8_000_000, analysis_status: 'done', analysis_source: 'claude', has_analysis: true };

describe('pipeline cards', () => {
	it('PIPE-1 a snapshot row is a full card: estimate, industry and the analysis badge', () => {
		expect(cardView(snapshotRow)).toMatchObject({ id: 1, status: 'new', estimateMga: 8_000_000, industry: 'tourism', badge: 'claude', converted: false });
	});

	it('PIPE-2 a lead event is a full card too, and a later event (the analysis finished) updates its badge and estimate', () => {
		// The fields bknd/bridge/toEvent.ts publishes for a lead still being analysed, then once analysed.
		const pending = { id: 2, title: 'Traçabilité vanille', company: null, industry: 'agritech', status: 'new', created_at: '2026-11-21T08:00:00.000Z', updated_at: '2026-11-21T08:00:00.000Z', analysis_status: 'pending', has_analysis: false, estimate_mga: null };
		expect(cardView(pending)).toMatchObject({ estimateMga: null, badge: 'pending', industry: 'agritech', company: null });
		const done = { ...pending, updated_at: '2026-11-21T08:01:00.000Z', analysis_status: 'done', analysis_source: 'offline', has_analysis: true, estimate_mga: 4_150_000 };
		expect(cardView(done)).toMatchObject({ estimateMga: 4_150_000, badge: 'offline' });
	});

	it('PIPE-3 columns follow the pipeline order, newest first, with their value; a card being moved shows in its new column', () => {
		const rows = [
			snapshotRow,
			{ ...snapshotRow, id: 3, status: 'won', estimate_mga: 2_000_000, created_at: '2026-11-22T08:00:00.000Z' },
			{ ...snapshotRow, id: 4, status: 'won', estimate_mga: null, created_at: '2026-11-23T08:00:00.000Z' },
			{ ...snapshotRow, id: 5, status: 'archived' }
		];
		const columns = pipelineColumns(rows);
		expect(columns.map((c) => c.status)).toEqual(['new', 'qualified', 'proposal', 'won', 'lost']);
		expect(columns.find((c) => c.status === 'won')).toMatchObject({ totalMga: 2_000_000, cards: [{ id: 4 }, { id: 3 }] });
		// An unknown status is shown as new rather than lost from the board.
		expect(columns[0]!.cards.map((c) => c.id)).toEqual([5, 1]);
		const moved = pipelineColumns(rows, { 1: 'proposal' });
		expect(moved.find((c) => c.status === 'proposal')!.cards.map((c) => c.id)).toEqual([1]);
		expect(moved[0]!.cards.map((c) => c.id)).toEqual([5]);
	});
});
