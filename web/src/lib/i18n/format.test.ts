import { describe, expect, it } from 'vitest';
import { clampProgress, formatDate, formatDateTime, formatMGA, formatRelative } from './format';

// Intl separates thousands with (narrow) no-break spaces; compare with plain spaces.
const plain = (text: string | null) => text?.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMGA', () => {
	it('writes ariary the Malagasy French way', () => {
		expect(plain(formatMGA(1_200_000, 'fr'))).toBe('1 200 000 Ar');
	});

	it('writes ariary in English with the symbol first', () => {
		expect(plain(formatMGA(1_200_000, 'en'))).toBe('Ar 1,200,000');
	});

	it('drops decimals', () => {
		expect(plain(formatMGA(999.6, 'fr'))).toBe('1 000 Ar');
	});
});

describe('formatDate', () => {
	it('prints a bare date on its own calendar day', () => {
		expect(formatDate('2026-03-15', 'fr')).toBe('15 mars 2026');
		expect(formatDate('2026-03-15', 'en')).toBe('March 15, 2026');
	});

	it('prints a timestamp in Madagascar time', () => {
		// 22:30 UTC is already the next day in Antananarivo (UTC+3).
		expect(formatDate('2026-03-15T22:30:00Z', 'fr')).toBe('16 mars 2026');
	});

	it('answers null for missing or unreadable dates', () => {
		expect(formatDate(null, 'fr')).toBeNull();
		expect(formatDate('', 'fr')).toBeNull();
		expect(formatDate('not a date', 'en')).toBeNull();
	});
});

describe('clampProgress', () => {
	it('clamps and rounds', () => {
		expect(clampProgress(42.4)).toBe(42);
		expect(clampProgress(-5)).toBe(0);
		expect(clampProgress(130)).toBe(100);
		expect(clampProgress(null)).toBe(0);
		expect(clampProgress(Number.NaN)).toBe(0);
	});
});

describe('formatDateTime / formatRelative', () => {
	it('prints a short moment in Madagascar time', () => {
		expect(plain(formatDateTime('2026-03-15T11:05:00Z', 'fr'))).toBe('15 mars, 14:05');
		expect(formatDateTime('nope', 'fr')).toBeNull();
	});

	it('says how long ago, then the moment beyond a day', () => {
		const now = Date.parse('2026-03-15T11:05:00Z');
		expect(formatRelative('2026-03-15T11:04:30Z', now, 'fr')).toBe('maintenant');
		expect(formatRelative('2026-03-15T11:00:00Z', now, 'fr')).toBe('il y a 5 minutes');
		expect(formatRelative('2026-03-15T08:00:00Z', now, 'en')).toBe('3 hours ago');
		expect(plain(formatRelative('2026-03-13T08:00:00Z', now, 'fr'))).toBe('13 mars, 11:00');
	});
});
