import type { Lang } from './index';

/** The `Intl` locale of each language: Malagasy French conventions for French ("1 200 000 Ar"). */
export const LOCALES: Record<Lang, string> = { fr: 'fr-MG', en: 'en' };

// Dates are shown in Madagascar time on the server and in every browser, so SSR and hydration agree.
const TIME_ZONE = 'Indian/Antananarivo';
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An amount of ariary, without decimals (the ariary's subdivision is not used).
 * @example formatMGA(1200000, 'fr') // "1 200 000 Ar" (with narrow no-break spaces)
 */
export function formatMGA(amount: number, lang: Lang): string {
	return new Intl.NumberFormat(LOCALES[lang], {
		style: 'currency',
		currency: 'MGA',
		currencyDisplay: 'narrowSymbol',
		maximumFractionDigits: 0,
		minimumFractionDigits: 0
	}).format(amount);
}

/**
 * A calendar date from bknd (`2026-03-15` or a full ISO timestamp), long form; `null` when absent or unreadable.
 * @example formatDate('2026-03-15', 'fr') // "15 mars 2026"
 */
export function formatDate(value: string | null | undefined, lang: Lang): string | null {
	if (!value) return null;
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) return null;
	// A bare date means that calendar day everywhere: read and print it in UTC so no zone shifts it a day.
	const timeZone = DATE_ONLY.test(value) ? 'UTC' : TIME_ZONE;
	return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone }).format(date);
}

/** A progress value clamped to 0-100 and rounded, for bars and labels; 0 when unknown. */
export function clampProgress(value: number | null | undefined): number {
	if (typeof value !== 'number' || !Number.isFinite(value)) return 0;
	return Math.round(Math.min(100, Math.max(0, value)));
}
