import { describe, expect, it } from 'vitest';
import { initials, peersFromAwareness } from './presence';

const user = (userId: string, name: string, role = 'client') => ({ user: { userId, name, role, color: '#0072b2' } });

describe('peersFromAwareness', () => {
	it('PRES-1: lists valid peers once each, yourself first', () => {
		const states = new Map<number, unknown>([
			[1, user('7', 'Zo')],
			[2, user('3', 'Andry', 'designer')],
			[3, user('7', 'Zo')], // a second tab of the same user
			[4, user('9', 'Me')],
			[5, { user: { userId: '1', name: 'Bad', role: 'root', color: 'red' } }],
			[6, null],
			[7, { cursor: 1 }]
		]);
		const peers = peersFromAwareness(states, 4);
		expect(peers.map((p) => [p.name, p.self])).toEqual([['Me', true], ['Andry', false], ['Zo', false]]);
	});
});

describe('initials', () => {
	it('PRES-2: makes one or two capital letters', () => {
		expect(initials('Rivo Andria')).toBe('RA');
		expect(initials('Hery Jean Rakoto')).toBe('HR');
		expect(initials('studio')).toBe('S');
		expect(initials('élodie')).toBe('É');
		expect(initials('  ')).toBe('?');
	});
});
