import type { FieldErrors } from '$lib/forms/fieldErrors';
import type { MessageKey, MessageParams } from '$lib/i18n';

/** Field errors as the form shows them: one message per field, in the page's language. */
export type FieldMessages = Record<string, string>;

/**
 * The same words on both sides: the browser translates its own check with `t`, the server with `translate(lang)`.
 * @example fieldMessages(fieldErrors(parsed.error), t) // { email: "Saisissez une adresse e-mail valide…" }
 */
export function fieldMessages(errors: FieldErrors, translate: (key: MessageKey, params?: MessageParams) => string): FieldMessages {
	const messages: FieldMessages = {};
	for (const [field, error] of Object.entries(errors)) messages[field] = translate(error.key, error.params);
	return messages;
}
