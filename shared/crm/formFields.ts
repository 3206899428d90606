import { z } from 'zod';

// Building blocks of the CRM's form schemas. Forms send text: an empty input arrives as '' (or not at all), numbers
// as typed ("45 000 000", "12,5"). Each block turns that into the value bknd stores (`null` for "not given"), and
// names its error with a message key of the web app's catalogue (`form.*`, `crm.*`) that lib/forms/fieldErrors.ts
// shows in French next to the field; issues without a key get its generic `form.*` message.

/** A submitted text, trimmed; `undefined` when blank or absent (so `.optional()` applies). */
function cleanText(value: unknown): unknown {
	if (value === null || value === undefined) return undefined;
	if (typeof value !== 'string') return value;
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}

/**
 * A submitted number: spaces (also the no-break ones of French formatting) dropped and a decimal comma read as a
 * point. A text that is not a number is kept, so the schema answers "Saisissez un nombre." for it.
 */
function cleanNumber(value: unknown): unknown {
	const text = cleanText(value);
	if (typeof text !== 'string') return text;
	const parsed = Number(text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'));
	return Number.isNaN(parsed) ? text : parsed;
}

const requiredOrInvalid = (fallback: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'form.required' : fallback);

/** A text that must be given, at most `max` characters. */
export function requiredText(max: number) {
	return z.preprocess(cleanText, z.string({ error: requiredOrInvalid('form.invalid') }).max(max));
}

/** A text that may be left empty (`null`), at most `max` characters. */
export function optionalText(max: number) {
	return z.preprocess(cleanText, z.string().max(max).optional()).transform((v) => v ?? null);
}

/** An e-mail address that may be left empty. */
export function optionalEmail() {
	return z.preprocess(cleanText, z.email().max(254).optional()).transform((v) => v ?? null);
}

/** A phone number that may be left empty: digits, spaces, `+ ( ) . -` (e.g. `+261 34 12 345 67`). */
export function optionalPhone() {
	return z
		.preprocess(cleanText, z.string().regex(/^\+?[0-9 ().-]{6,30}$/, 'crm.phoneFormat').optional())
		.transform((v) => v ?? null);
}

/** A number that must be given; `inner` sets its bounds (e.g. `z.number().int().min(0)`). */
export function requiredNumber(inner: z.ZodNumber = z.number()) {
	return z.preprocess(cleanNumber, z.number({ error: requiredOrInvalid('form.number') }).pipe(inner));
}

/** A number that may be left empty (`null`). */
export function optionalNumber(inner: z.ZodNumber = z.number()) {
	return z.preprocess(cleanNumber, z.number({ error: 'form.number' }).pipe(inner).optional()).transform((v) => v ?? null);
}

/** The id of a row the form picks (a `<select>` or a hidden input): a positive integer; `message` when missing or bad. */
export function rowId(message: string) {
	return z.preprocess(cleanNumber, z.number({ error: message }).int(message).positive(message));
}

/** One of `values` (a `<select>`); "Choisissez une des options proposées." otherwise. */
export function choice<const T extends readonly [string, ...string[]]>(values: T) {
	return z.preprocess(cleanText, z.enum(values, { error: 'form.choose' }));
}

/** A calendar date `YYYY-MM-DD` (what `<input type="date">` sends), required. */
export function requiredDate() {
	return z.preprocess(cleanText, z.iso.date({ error: requiredOrInvalid('form.date') }));
}

/** A calendar date `YYYY-MM-DD` that may be left empty (`null`). */
export function optionalDate() {
	return z.preprocess(cleanText, z.iso.date({ error: 'form.date' }).optional()).transform((v) => v ?? null);
}

/** A page number from a query string: 1 when missing or not a page number (a URL anyone can edit never fails). */
export const pageNumberSchema = z.coerce.number().int().min(1).max(100_000).catch(1);
