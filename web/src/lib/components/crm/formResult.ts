import type { FieldErrors } from '$lib/forms/fieldErrors';
import type { MessageKey } from '$lib/i18n';

/** A CRM form that was not saved, as its action answers it (lib/server/crm/staffForms.ts) and the page shows it. */
export interface FormFailure {
	/** Which form of the page answered (a page may hold several: metrics, shares...). */
	form: string;
	/** What was typed, to fill the form again. */
	values: Record<string, string>;
	errors?: FieldErrors;
	/** bknd could not be reached: nothing was saved, the values are kept. */
	bkndUnavailable?: true;
	/** A refusal of the whole form (e.g. the row vanished meanwhile). */
	message?: MessageKey;
}

/** The failure of form `name` among a page's answers (`form` page prop), if that is the form that answered. */
export function failureOf(form: unknown, name: string): FormFailure | null {
	if (!form || typeof form !== 'object') return null;
	const failure = form as Partial<FormFailure>;
	return failure.form === name && typeof failure.values === 'object' ? (failure as FormFailure) : null;
}
