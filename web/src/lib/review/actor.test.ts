import { describe, expect, it } from 'vitest';
import { actorFromWelcome, newCommandId } from './actor';
import { reactionChips } from './reactions';

const user = (role: 'partner' | 'designer') => ({ userId: '3', name: 'Lova', role, color: '#0072b2' });

describe('actorFromWelcome', () => {
	it('ACT-1: reads a partner share level from what the socket may write', () => {
		expect(actorFromWelcome({ user: user('partner'), writable: ['notes', 'versionNotesClient'] }).partnerAccess).toBe('editor');
		expect(actorFromWelcome({ user: user('partner'), writable: [] }).partnerAccess).toBe('viewer');
		expect(actorFromWelcome({ user: user('designer'), writable: ['notes'] })).toEqual({ userId: '3', name: 'Lova', role: 'designer', partnerAccess: null });
	});

	it('makes ids the room accepts', () => {
		expect(newCommandId()).toMatch(/^[0-9a-f]{32}$/);
	});
});

describe('reactionChips', () => {
	it('REACT-1: one chip per emoji used, with count and mine', () => {
		expect(reactionChips({ '👍': ['1', '2'], '🎉': ['2'], '👀': [] }, '1')).toEqual([
			{ emoji: '👍', count: 2, mine: true, userIds: ['1', '2'] },
			{ emoji: '🎉', count: 1, mine: false, userIds: ['2'] }
		]);
	});
});
