import { tick } from 'svelte';
import type { SubmitFunction } from '@sveltejs/kit';
import type { z } from 'zod';
import { fieldErrors, type FieldErrors } from '$lib/forms/fieldErrors';

/**
 * The browser side of a CRM form: checks it with the same zod schema as its action before sending (so errors
 * show at once, in French, next to the fields), keeps what was typed unless it was saved, and tracks sending.
 * Without JavaScript the action does the same checks and answers the page with the errors.
 *
 * @example
 * const edit = new CrmForm(clientFormSchema);
 * <form method="POST" use:enhance={edit.submit}>…{edit.errors(failure)}…</form>
 */
export class CrmForm {
	/** Errors found in the browser on the last attempt; `null` once a submission went to the server. */
	browserErrors = $state<FieldErrors | null>(null);
	submitting = $state(false);

	constructor(private readonly schema: z.ZodType) {}

	/** The errors to show: the browser's, else the server's answer to this form. */
	errors(serverErrors: FieldErrors | undefined | null): FieldErrors {
		return this.browserErrors ?? serverErrors ?? {};
	}

	submit: SubmitFunction = ({ formData, formElement, cancel }) => {
		const parsed = this.schema.safeParse(Object.fromEntries(formData));
		if (!parsed.success) {
			this.browserErrors = fieldErrors(parsed.error);
			cancel();
			void focusFirstInvalid(formElement);
			return;
		}
		this.browserErrors = null;
		this.submitting = true;
		return async ({ result, update }) => {
			// A saved form starts empty again (add another measure...); a refused one keeps what was typed.
			await update({ reset: result.type === 'success' });
			this.submitting = false;
			if (result.type === 'failure') void focusFirstInvalid(formElement);
		};
	};
}

/** Moves the focus to the first field marked invalid, so keyboard and screen-reader users land on the problem. */
async function focusFirstInvalid(form: HTMLFormElement): Promise<void> {
	await tick();
	form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
