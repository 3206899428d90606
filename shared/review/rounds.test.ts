import { describe, expect, it } from 'vitest';
import type { Actor } from './actor';
import { readEntries } from './layout';
import type { StoredDecision } from './records';
import { roundStatus } from './rounds';
import { ACTORS, reviewHarness } from './testKit';

const { admin, designer, editor, viewer, client, client2 } = ACTORS;

function setup() {
	const r = reviewHarness();
	const v1 = r.ok(designer, { type: 'version.add', label: 'V1', clientVisible: true });
	const open = (reviewers: string[], versionId = v1) => r.run(designer, { type: 'round.open', versionId, reviewers, dueDate: '2026-12-15' });
	const decide = (who: Actor, roundId: string, decision: 'approved' | 'changes_requested', comment?: string) =>
		r.run(who, { type: 'round.decide', roundId, decision, ...(comment ? { comment } : {}) });
	const round = (viewerActor: Actor, id: string) => r.view(viewerActor).rounds.find((x) => x.id === id);
	return { ...r, v1, open, decide, round };
}
const idOf = (result: { ok: boolean; effects?: { created: { id: string }[] } }) => result.effects!.created[0]!.id;

describe('round workflow', () => {
	it('goes from in_review to approved once every required reviewer approves', () => {
		const s = setup();
		const roundId = idOf(s.open([client.userId, editor.userId]));
		expect(s.round(client, roundId)).toMatchObject({
			status: 'in_review', lane: 'client', location: 'client', versionId: s.v1, dueDate: '2026-12-15',
			openedBy: { userId: designer.userId }, reviewerStates: [
				{ reviewerId: client.userId, decision: null, stale: false, at: null },
				{ reviewerId: editor.userId, decision: null, stale: false, at: null }
			]
		});
		expect(s.decide(client, roundId, 'approved').ok).toBe(true);
		expect(s.round(client, roundId)!.status).toBe('in_review');
		expect(s.decide(editor, roundId, 'approved').ok).toBe(true);
		expect(s.round(client, roundId)!.status).toBe('approved');
		expect(s.round(designer, roundId)!.status).toBe('approved');
	});

	it('turns to changes_requested on any counted change request, and back when that reviewer approves', () => {
		const s = setup();
		const roundId = idOf(s.open([client.userId, editor.userId]));
		s.decide(editor, roundId, 'approved');
		s.decide(client, roundId, 'changes_requested', 'Le vert est trop clair.');
		expect(s.round(client, roundId)!.status).toBe('changes_requested');
		s.decide(client, roundId, 'approved');
		expect(s.round(client, roundId)!.status).toBe('approved');
		expect(s.round(client, roundId)!.decisions.map((d) => [d.reviewerId, d.decision, d.comment])).toEqual([
			[editor.userId, 'approved', null],
			[client.userId, 'changes_requested', 'Le vert est trop clair.'],
			[client.userId, 'approved', null]
		]);
	});

	it('makes decisions stale when a newer version is shown to the client, keeping the history', () => {
		const s = setup();
		const roundId = idOf(s.open([client.userId, editor.userId]));
		s.decide(client, roundId, 'approved');
		s.decide(editor, roundId, 'approved');
		// A new internal version is work in progress: the client round still judges by what the client sees.
		const v2 = s.ok(designer, { type: 'version.add', label: 'V2', clientVisible: false });
		expect(s.round(designer, roundId)).toMatchObject({ status: 'approved', currentVersionId: s.v1 });
		s.ok(designer, { type: 'version.setVisibility', versionId: v2, clientVisible: true });
		const after = s.round(client, roundId)!;
		expect(after).toMatchObject({ status: 'in_review', currentVersionId: v2 });
		expect(after.reviewerStates.map((r) => [r.reviewerId, r.decision, r.stale])).toEqual([
			[client.userId, 'approved', true],
			[editor.userId, 'approved', true]
		]);
		expect(after.decisions).toHaveLength(2);
		s.decide(client, roundId, 'approved');
		expect(s.round(client, roundId)!.status).toBe('in_review');
		s.decide(editor, roundId, 'approved');
		expect(s.round(client, roundId)).toMatchObject({ status: 'approved' });
		expect(s.round(client, roundId)!.decisions.map((d) => d.versionId)).toEqual([s.v1, s.v1, v2, v2]);
	});

	it('lets only required reviewers decide (staff may record an opinion, which does not count)', () => {
		const s = setup();
		const roundId = idOf(s.open([client.userId, viewer.userId]));
		expect(s.decide(client2, roundId, 'approved')).toMatchObject({ ok: false, code: 'forbidden' });
		expect(s.decide(editor, roundId, 'approved')).toMatchObject({ ok: false, code: 'forbidden' });
		expect(s.decide(viewer, roundId, 'approved').ok).toBe(true);
		expect(s.decide(admin, roundId, 'changes_requested', 'Attendez').ok).toBe(true);
		expect(s.round(designer, roundId)!.status).toBe('in_review');
		s.decide(client, roundId, 'approved');
		expect(s.round(designer, roundId)!.status).toBe('approved');
		expect(s.decide(client, 'nope', 'approved')).toMatchObject({ ok: false, code: 'not_found' });
	});
});

describe('round.open', () => {
	it('is for staff only, on the current version of its audience, with member reviewers', () => {
		const s = setup();
		for (const who of [editor, viewer, client]) {
			expect(s.run(who, { type: 'round.open', versionId: s.v1, reviewers: [client.userId], dueDate: '2026-12-15' })).toMatchObject({ ok: false, code: 'forbidden' });
		}
		expect(s.open([client.userId], 'nope')).toMatchObject({ ok: false, code: 'not_found' });
		expect(s.open(['u-stranger'])).toMatchObject({ ok: false, code: 'invalid' });
		s.ok(designer, { type: 'version.add', label: 'V2', clientVisible: true });
		expect(s.open([client.userId])).toMatchObject({ ok: false, code: 'conflict' });
	});

	it('keeps a round on a hidden version internal: clients can neither review nor see it', () => {
		const s = setup();
		const hidden = s.ok(designer, { type: 'version.add', label: 'V2 interne', clientVisible: false });
		expect(s.open([client.userId], hidden)).toMatchObject({ ok: false, code: 'invalid' });
		const roundId = idOf(s.open([editor.userId, editor.userId], hidden));
		expect(s.round(designer, roundId)).toMatchObject({ lane: 'internal', location: 'internal', reviewers: [editor.userId] });
		expect(s.view(client).rounds).toEqual([]);
		expect(s.decide(client, roundId, 'approved')).toMatchObject({ ok: false, code: 'not_found' });
		// Showing the version later does not publish the agency's internal review of it.
		s.decide(editor, roundId, 'changes_requested', 'Pas prêt');
		s.ok(designer, { type: 'version.setVisibility', versionId: hidden, clientVisible: true });
		expect(readEntries(s.docs.client, 'rounds')).toEqual([]);
		expect(s.round(designer, roundId)).toMatchObject({ location: 'internal', status: 'changes_requested' });
	});

	it('moves a client round with its version when the version is hidden and shown again', () => {
		const s = setup();
		const roundId = idOf(s.open([client.userId]));
		s.decide(client, roundId, 'approved');
		s.ok(designer, { type: 'version.setVisibility', versionId: s.v1, clientVisible: false });
		expect(s.view(client).rounds).toEqual([]);
		expect(s.round(designer, roundId)).toMatchObject({ location: 'internal', lane: 'client' });
		expect(s.decide(client, roundId, 'approved')).toMatchObject({ ok: false, code: 'not_found' });
		s.ok(designer, { type: 'version.setVisibility', versionId: s.v1, clientVisible: true });
		expect(s.round(client, roundId)).toMatchObject({ location: 'client', status: 'approved', decisions: [{ reviewerId: client.userId }] });
	});
});

describe('roundStatus', () => {
	const d = (reviewerId: string, decision: StoredDecision['decision'], versionId: string, at: string): StoredDecision =>
		({ reviewerId, reviewerName: reviewerId, decision, comment: null, versionId, at });
	it.each([
		['no decisions', [], 'in_review'],
		['one of two approved', [d('a', 'approved', 'v2', '1')], 'in_review'],
		['both approved', [d('a', 'approved', 'v2', '1'), d('b', 'approved', 'v2', '2')], 'approved'],
		['a change request counts at once', [d('a', 'changes_requested', 'v2', '1')], 'changes_requested'],
		['latest decision wins', [d('a', 'changes_requested', 'v2', '1'), d('a', 'approved', 'v2', '2'), d('b', 'approved', 'v2', '3')], 'approved'],
		['latest by time, not by position', [d('a', 'approved', 'v2', '5'), d('a', 'changes_requested', 'v2', '1'), d('b', 'approved', 'v2', '3')], 'approved'],
		['a stale change request is not counted', [d('a', 'changes_requested', 'v1', '1'), d('b', 'approved', 'v2', '2')], 'in_review'],
		['a stale approval is not counted', [d('a', 'approved', 'v1', '1'), d('b', 'approved', 'v2', '2')], 'in_review'],
		['a non-reviewer is not counted', [d('a', 'approved', 'v2', '1'), d('b', 'approved', 'v2', '2'), d('x', 'changes_requested', 'v2', '3')], 'approved']
	] as const)('%s → %s', (_name, decisions, status) => {
		expect(roundStatus({ reviewers: ['a', 'b'], decisions: [...decisions] }, 'v2').status).toBe(status);
	});
});
