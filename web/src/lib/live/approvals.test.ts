import { describe, expect, it } from 'vitest';
import { approvalsFor, openRoundCount, parseRounds } from './approvals';

const round = (id: string, status: string, reviewerStates: unknown[], extra: Record<string, unknown> = {}) => ({
	id,
	lane: 'client',
	versionId: 'v1',
	reviewers: reviewerStates.map((s) => (s as { reviewerId: string }).reviewerId),
	dueDate: '2026-02-01',
	openedBy: { userId: '2', name: 'Hery Rakoto' },
	openedAt: '2026-01-10T08:00:00.000Z',
	decisions: [],
	location: 'client',
	currentVersionId: 'v1',
	status,
	reviewerStates,
	...extra
});
const pending = (reviewerId: string) => ({ reviewerId, decision: null, stale: false, at: null });
const decided = (reviewerId: string, stale = false) => ({ reviewerId, decision: 'approved', stale, at: '2026-01-11T08:00:00.000Z' });

describe('approvals from review rounds', () => {
	const body = {
		rounds: [
			round('r1', 'in_review', [pending('4'), decided('5')]),
			round('r2', 'in_review', [decided('4', true)], { dueDate: '2026-01-20' }),
			round('r3', 'in_review', [decided('4')]),
			round('r4', 'changes_requested', [pending('4'), { reviewerId: '5', decision: 'changes_requested', stale: false, at: null }]),
			round('r5', 'approved', [decided('5')]),
			{ id: 'broken', status: 'nope' },
			null
		]
	};

	it('APPR-1 lists the rounds in review where the viewer must (re)decide, soonest due first', () => {
		const rounds = parseRounds(body, 7);
		expect(rounds.map((r) => r.id)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
		const mine = approvalsFor(rounds, '4', new Map([[7, 'Refonte']]));
		expect(mine).toEqual([
			{ roundId: 'r2', projectId: 7, projectTitle: 'Refonte', lane: 'client', dueDate: '2026-01-20', openedAt: '2026-01-10T08:00:00.000Z', openedBy: 'Hery Rakoto', again: true },
			{ roundId: 'r1', projectId: 7, projectTitle: 'Refonte', lane: 'client', dueDate: '2026-02-01', openedAt: '2026-01-10T08:00:00.000Z', openedBy: 'Hery Rakoto', again: false }
		]);
		expect(approvalsFor(rounds, '99', new Map())).toEqual([]);
	});

	it('APPR-2 counts rounds not approved yet, and survives any answer', () => {
		expect(openRoundCount(parseRounds(body, 7))).toBe(4);
		expect(parseRounds(null, 1)).toEqual([]);
		expect(parseRounds({ rounds: 'x' }, 1)).toEqual([]);
	});
});
