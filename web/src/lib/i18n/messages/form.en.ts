import type { formFr } from './form.fr';

/** English messages shared by every form: the same keys as form.fr.ts. */
export const formEn: { readonly [K in keyof typeof formFr]: string } = {
	'form.required': 'This field is required.',
	'form.tooShort': 'At least {min} characters.',
	'form.tooLong': 'At most {max} characters.',
	'form.email': 'Enter a valid email address (e.g. name@domain.mg).',
	'form.url': 'Enter a valid web address (https://…).',
	'form.number': 'Enter a number.',
	'form.integer': 'Enter a whole number.',
	'form.min': 'The smallest value is {min}.',
	'form.max': 'The largest value is {max}.',
	'form.date': 'Enter a valid date.',
	'form.choose': 'Choose one of the options.',
	'form.chooseAtLeastOne': 'Choose at least one option.',
	'form.tooMany': 'At most {max} items.',
	'form.invalid': 'Invalid value.',
	'form.consent': 'We need your consent to send this form.',
	'form.fixErrors': 'The form has errors: fix the highlighted fields. What you typed is kept.',
	'form.saved': 'Saved.',
	'form.saving': 'Saving…',
	'form.bkndUnavailable': 'The data service cannot be reached right now: nothing was saved. What you typed is kept; try again in a moment.',
	'form.tooManySubmissions': 'Too many submissions from your connection. Try again in {minutes} minutes.',
	'form.bodyTooLarge': 'The form is too large: shorten the texts.'
};
