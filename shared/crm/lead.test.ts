import { describe, expect, it } from 'vitest';
import { leadMoveSchema, proposalDraftSchema, PROPOSAL_DRAFT_MAX } from './lead';
import { analysisBadge } from './leadAnalysis';

describe('lead forms', () => {
	it('LEAD-FORM-1 a move names a lead and one of the pipeline columns', () => {
		expect(leadMoveSchema.parse({ id: '4', status: 'won' })).toEqual({ id: 4, status: 'won' });
		expect(leadMoveSchema.safeParse({ id: '4', status: 'archived' }).success).toBe(false);
		expect(leadMoveSchema.safeParse({ id: '-1', status: 'won' }).success).toBe(false);
	});

	it('LEAD-FORM-2 a draft is at most 20,000 characters, line endings normalised, empty allowed', () => {
		expect(proposalDraftSchema.parse({ draft: 'Bonjour,\r\nvoici' }).draft).toBe('Bonjour,\nvoici');
		expect(proposalDraftSchema.parse({ draft: '' }).draft).toBe('');
		const tooLong = proposalDraftSchema.safeParse({ draft: 'a'.repeat(PROPOSAL_DRAFT_MAX + 1) });
		expect(tooLong.error?.issues[0]).toMatchObject({ path: ['draft'], message: 'leads.draftTooLong' });
	});

	it('LEAD-FORM-3 the analysis badge: pending first, then who wrote it', () => {
		expect(analysisBadge({ analysis_status: 'pending', analysis_source: 'claude', hasAnalysis: true })).toBe('pending');
		expect(analysisBadge({ analysis_status: 'done', analysis_source: 'claude', hasAnalysis: true })).toBe('claude');
		expect(analysisBadge({ analysis_status: 'done', analysis_source: 'offline', hasAnalysis: true })).toBe('offline');
		expect(analysisBadge({ hasAnalysis: false })).toBe('none');
	});
});
