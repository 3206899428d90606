import { describe, expect, it } from 'vitest';
import { fold, insertMention, linkify, matchPeople, mentionQueryAt, mentionedIds, safeHref, segmentBody } from './mentions';

const hery = { userId: '2', name: 'Hery Rakoto' };
const fara = { userId: '4', name: 'Fara Rasoa' };
const heryShort = { userId: '9', name: 'Hery' };

describe('segmentBody', () => {
	it('MENT-1: turns @Name of mentioned people into mentions, longest name first', () => {
		expect(segmentBody('Merci @Hery Rakoto et @Hery !', [heryShort, hery])).toEqual([
			{ kind: 'text', text: 'Merci ' },
			{ kind: 'mention', text: '@Hery Rakoto', userId: '2' },
			{ kind: 'text', text: ' et ' },
			{ kind: 'mention', text: '@Hery', userId: '9' },
			{ kind: 'text', text: ' !' }
		]);
	});

	it('MENT-2: leaves e-mail addresses, unknown names and partial words alone', () => {
		expect(segmentBody('écrire à fara@Hery.mg ou @Inconnu ou @Heryniaina', [heryShort])).toEqual([
			{ kind: 'text', text: 'écrire à fara@Hery.mg ou @Inconnu ou @Heryniaina' }
		]);
	});

	it('MENT-3: links http(s) URLs, without the sentence punctuation after them', () => {
		expect(segmentBody('Voir https://fata.plus/a?b=1. Et (https://x.mg/p_(1)) !', [])).toEqual([
			{ kind: 'text', text: 'Voir ' },
			{ kind: 'link', text: 'https://fata.plus/a?b=1', href: 'https://fata.plus/a?b=1' },
			{ kind: 'text', text: '. Et (' },
			{ kind: 'link', text: 'https://x.mg/p_(1)', href: 'https://x.mg/p_(1)' },
			{ kind: 'text', text: ') !' }
		]);
	});

	it('MENT-4: never links a javascript: or data: URL, and keeps markup as text', () => {
		const body = 'javascript:alert(1) data:text/html,<b>x</b> <img src=x onerror=alert(1)>';
		expect(segmentBody(body, [])).toEqual([{ kind: 'text', text: body }]);
	});

	it('MENT-5: links www. addresses over https', () => {
		expect(linkify('www.figma.com/file/abc')).toEqual([{ kind: 'link', text: 'www.figma.com/file/abc', href: 'https://www.figma.com/file/abc' }]);
	});
});

describe('safeHref', () => {
	it('MENT-6: accepts only http(s) URLs with a host', () => {
		expect(safeHref('https://fata.plus')).toBe('https://fata.plus/');
		expect(safeHref('http://')).toBeNull();
		expect(safeHref('javascript:alert(1)')).toBeNull();
		expect(safeHref('ftp://x.mg')).toBeNull();
	});
});

describe('mentionQueryAt', () => {
	it('MENT-7: finds the mention being typed before the caret', () => {
		expect(mentionQueryAt('Bonjour @He', 11)).toEqual({ start: 8, query: 'He' });
		expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
		expect(mentionQueryAt('(@hery ra', 9)).toEqual({ start: 1, query: 'hery ra' });
	});

	it('MENT-8: ignores e-mail addresses, other lines, long phrases and a space right after @', () => {
		expect(mentionQueryAt('fara@ferme', 10)).toBeNull();
		expect(mentionQueryAt('@hery\nsuite', 11)).toBeNull();
		expect(mentionQueryAt('@un deux trois quatre', 21)).toBeNull();
		expect(mentionQueryAt('@ hery', 6)).toBeNull();
		expect(mentionQueryAt('pas de mention', 14)).toBeNull();
	});
});

describe('matchPeople', () => {
	const people = [hery, fara, { userId: '5', name: 'Élodie Ravelo' }, { userId: '6', name: 'Andry Hery' }];

	it('MENT-9: ranks name starts, then word starts, then contains; accents ignored', () => {
		expect(matchPeople(people, 'her').map((p) => p.userId)).toEqual(['2', '6']);
		expect(matchPeople(people, 'elo').map((p) => p.userId)).toEqual(['5']);
		expect(matchPeople(people, 'aso').map((p) => p.userId)).toEqual(['4']);
		expect(matchPeople(people, 'zz')).toEqual([]);
	});

	it('MENT-10: lists everyone by name for an empty query, up to the limit', () => {
		expect(matchPeople(people, '', 3).map((p) => p.name)).toEqual(['Andry Hery', 'Élodie Ravelo', 'Fara Rasoa']);
	});

	it('folds accents and case', () => {
		expect(fold('Élodie')).toBe('elodie');
	});
});

describe('insertMention / mentionedIds', () => {
	it('MENT-11: replaces the typed query with @Name and a single space', () => {
		expect(insertMention('Merci @he', { start: 6, query: 'he' }, 9, 'Hery Rakoto')).toEqual({ text: 'Merci @Hery Rakoto ', caret: 19 });
		expect(insertMention('@fa merci', { start: 0, query: 'fa' }, 3, 'Fara Rasoa')).toEqual({ text: '@Fara Rasoa merci', caret: 12 });
	});

	it('MENT-12: keeps only the chosen people still named in the body', () => {
		expect(mentionedIds('@Hery Rakoto regarde', [hery, fara])).toEqual(['2']);
		expect(mentionedIds('plus personne', [hery])).toEqual([]);
	});
});
