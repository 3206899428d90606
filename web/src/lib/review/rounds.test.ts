import { describe, expect, it } from 'vitest';
import type { RoundView } from '../../../../shared/review';
import { currentRound, isOverdue, isReviewer, latestComment, reviewerName, today } from './rounds';

const decision = (reviewerId: string, at: string, comment: string | null) => ({
	reviewerId,
	reviewerName: `R${reviewerId}`,
	decision: 'changes_requested' as const,
	comment,
	versionId: 'v1',
	at
});

describe('rounds', () => {
	it('ROUND-1: the current round is the last opened', () => {
		expect(currentRound([])).toBeNull();
		expect(currentRound([{ id: 'a' }, { id: 'b' }] as RoundView[])?.id).toBe('b');
	});

	it('ROUND-2: a round in review is overdue the day after its due date, in Madagascar', () => {
		expect(isOverdue({ dueDate: '2026-03-10', status: 'in_review' }, '2026-03-11')).toBe(true);
		expect(isOverdue({ dueDate: '2026-03-10', status: 'in_review' }, '2026-03-10')).toBe(false);
		expect(isOverdue({ dueDate: '2026-03-10', status: 'approved' }, '2026-03-11')).toBe(false);
		// 22:30 UTC on the 10th is already the 11th in Antananarivo (UTC+3).
		expect(today(new Date('2026-03-10T22:30:00Z'))).toBe('2026-03-11');
	});

	it('ROUND-3: reviewers, their latest comment and recorded name', () => {
		const round = { reviewers: ['4'], decisions: [decision('4', '2026-01-01', 'avant'), decision('4', '2026-01-02', 'après')] };
		expect(isReviewer(round, '4')).toBe(true);
		expect(isReviewer(round, '5')).toBe(false);
		expect(latestComment(round, '4')).toBe('après');
		expect(latestComment(round, '5')).toBeNull();
		expect(reviewerName(round, '4')).toBe('R4');
	});
});
