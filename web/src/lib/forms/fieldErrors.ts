import type { z } from 'zod';
import { isMessageKey, type MessageKey, type MessageParams } from '../i18n';

/** One field's error, as a message key of the catalogue and its parameters (translated where shown). */
export interface FieldError {
	key: MessageKey;
	params?: MessageParams;
}

/** Errors by field path (`contact.email`), the first issue of each field only. */
export type FieldErrors = Record<string, FieldError>;

/**
 * Turns a zod error into one message per field, the same on the server and in the browser. A schema names
 * its own message by giving a catalogue key (`z.string().regex(re, 'crm.slugFormat')`); every other issue maps to
 * a generic `form.*` message.
 *
 * @example
 * const parsed = schema.safeParse(values);
 * if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
 */
export function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const path = issue.path.map(String).join('.') || '_form';
		if (errors[path]) continue;
		errors[path] = issueMessage(issue);
	}
	return errors;
}

function issueMessage(issue: z.core.$ZodIssue): FieldError {
	if (isMessageKey(issue.message)) return { key: issue.message as MessageKey };
	switch (issue.code) {
		case 'too_small':
			if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? { key: 'form.required' } : { key: 'form.tooShort', params: { min: Number(issue.minimum) } };
			if (issue.origin === 'array' || issue.origin === 'set') return { key: 'form.chooseAtLeastOne' };
			return { key: 'form.min', params: { min: Number(issue.minimum) } };
		case 'too_big':
			if (issue.origin === 'string') return { key: 'form.tooLong', params: { max: Number(issue.maximum) } };
			if (issue.origin === 'array' || issue.origin === 'set') return { key: 'form.tooMany', params: { max: Number(issue.maximum) } };
			return { key: 'form.max', params: { max: Number(issue.maximum) } };
		case 'invalid_format':
			if (issue.format === 'email') return { key: 'form.email' };
			if (issue.format === 'url') return { key: 'form.url' };
			if (issue.format === 'date' || issue.format === 'datetime') return { key: 'form.date' };
			return { key: 'form.invalid' };
		case 'invalid_value':
			return { key: 'form.choose' };
		case 'invalid_type':
			if (issue.expected === 'number') return { key: 'form.number' };
			if (issue.input === undefined || issue.input === null || issue.input === '') return { key: 'form.required' };
			return { key: 'form.invalid' };
		case 'not_multiple_of':
			return { key: 'form.integer' };
		default:
			return { key: 'form.invalid' };
	}
}
