import { describe, expect, it } from 'vitest';
import type { MessageView, ThreadView } from '../../../../shared/review';
import { filterCounts, filterThreads, isMine, lastActivity, mentionsUser } from './threadFilters';

const person = (userId: string) => ({ userId, name: `U${userId}`, role: 'designer' as const });
function message(id: string, author: string, at: string, extra: Partial<MessageView> = {}): MessageView {
	return { id, author: person(author), body: 'x', mentions: [], createdAt: at, editedAt: null, deletedAt: null, reactions: {}, ...extra };
}
function thread(id: string, extra: Partial<ThreadView> = {}): ThreadView {
	return {
		id,
		lane: 'client',
		frameId: 'f1',
		anchor: { kind: 'frame' },
		versionId: null,
		status: 'open',
		resolvedBy: null,
		resolvedAt: null,
		reopenedBy: null,
		reopenedAt: null,
		createdBy: person('1'),
		createdAt: '2026-01-01T10:00:00Z',
		pin: 1,
		messages: [message(`${id}m`, '1', '2026-01-01T10:00:00Z')],
		...extra
	};
}

describe('thread filters', () => {
	const started = thread('a', { createdBy: person('7'), messages: [message('m1', '7', '2026-01-01T10:00:00Z')] });
	const replied = thread('b', { messages: [message('m2', '1', '2026-01-02T10:00:00Z'), message('m3', '7', '2026-01-03T10:00:00Z')] });
	const deletedReply = thread('c', { messages: [message('m4', '1', '2026-01-01T09:00:00Z'), message('m5', '7', '2026-01-01T09:30:00Z', { deletedAt: '2026-01-01T09:40:00Z' })] });
	const mentioning = thread('d', { status: 'resolved', frameId: 'f2', messages: [message('m6', '1', '2026-01-04T10:00:00Z', { mentions: ['7'] })] });
	const all = [started, replied, deletedReply, mentioning];

	it('FILT-1: "mes fils" are the threads I started or replied to (not with a deleted reply)', () => {
		expect(all.filter((t) => isMine(t, '7')).map((t) => t.id)).toEqual(['a', 'b']);
	});

	it('FILT-2: "mentions" are the threads with a live message mentioning me', () => {
		expect(all.filter((t) => mentionsUser(t, '7')).map((t) => t.id)).toEqual(['d']);
	});

	it('FILT-3: lists the most recently active first, per frame when asked', () => {
		expect(filterThreads(all, 'open', '7').map((t) => t.id)).toEqual(['b', 'a', 'c']);
		expect(filterThreads(all, 'resolved', '7').map((t) => t.id)).toEqual(['d']);
		expect(filterThreads(all, 'open', '7', 'f2')).toEqual([]);
	});

	it('FILT-4: counts every filter', () => {
		expect(filterCounts(all, '7')).toEqual({ open: 3, resolved: 1, mine: 2, mentions: 1 });
		expect(filterCounts(all, '7', 'f2')).toEqual({ open: 0, resolved: 1, mine: 0, mentions: 1 });
	});

	it('FILT-5: last activity includes edits and resolutions', () => {
		expect(lastActivity(thread('e', { resolvedAt: '2026-02-01T00:00:00Z' }))).toBe('2026-02-01T00:00:00Z');
		expect(lastActivity(thread('f', { messages: [message('m', '1', '2026-01-01T10:00:00Z', { editedAt: '2026-01-05T00:00:00Z' })] }))).toBe('2026-01-05T00:00:00Z');
	});
});
