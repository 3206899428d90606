import { describe, expect, it } from 'vitest';
import type { ThreadView } from '../../../../shared/review';
import { knownMembers, mentionable, nameIndex } from './members';

const designer = { userId: '2', name: 'Hery Rakoto', role: 'designer' as const };
const client = { userId: '4', name: 'Fara Rasoa', role: 'client' as const };
const partner = { userId: '3', name: 'Lova Andria', role: 'partner' as const };
const threads = [{ messages: [{ author: partner }] }] as unknown as ThreadView[];

describe('knownMembers', () => {
	it('MEM-1: takes the server list as complete when there is one', () => {
		expect(knownMembers({ listed: [designer, client], present: [partner], view: { threads } })).toEqual([client, designer]);
	});

	it('MEM-2: without it (bknd answered an error), falls back to who is present and who wrote, once each', () => {
		expect(knownMembers({ listed: null, present: [designer, client], view: { threads } }).map((m) => m.userId)).toEqual(['4', '2', '3']);
		expect(knownMembers({ listed: null, present: [partner], view: { threads } })).toEqual([partner]);
	});
});

describe('mentionable / nameIndex', () => {
	it('MEM-3: never offers oneself, nor a client in the internal lane', () => {
		const all = [designer, client, partner];
		expect(mentionable(all, 'client', '2').map((m) => m.userId)).toEqual(['4', '3']);
		expect(mentionable(all, 'internal', '2').map((m) => m.userId)).toEqual(['3']);
	});

	it('indexes names, first source wins', () => {
		expect(nameIndex([designer], [{ userId: '2', name: 'Autre' }, client]).get('2')).toBe('Hery Rakoto');
	});
});
