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

/**
 * A moment, short: day, month and time in Madagascar time; `null` when unreadable.
 * @example formatDateTime('2026-03-15T11:05:00Z', 'fr') // "15 mars, 14:05"
 */
export function formatDateTime(value: string | null | undefined, lang: Lang): string | null {
	if (!value) return null;
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) return null;
	return new Intl.DateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE }).format(date);
}

/**
 * How long ago `value` was, for message times: "à l'instant" under a minute, then minutes and hours,
 * and the short date and time beyond a day (`now` in epoch milliseconds).
 * @example formatRelative('2026-03-15T11:00:00Z', Date.parse('2026-03-15T11:05:00Z'), 'fr') // "il y a 5 minutes"
 */
export function formatRelative(value: string, now: number, lang: Lang): string {
	const at = Date.parse(value);
	if (Number.isNaN(at)) return '';
	const seconds = Math.round((now - at) / 1000);
	const rtf = new Intl.RelativeTimeFormat(LOCALES[lang], { numeric: 'auto' });
	if (seconds < 60) return rtf.format(0, 'second');
	if (seconds < 3600) return rtf.format(-Math.floor(seconds / 60), 'minute');
	if (seconds < 86_400) return rtf.format(-Math.floor(seconds / 3600), 'hour');
	return formatDateTime(value, lang) ?? '';
}
