/**
 * Enter on a radio button or a checkbox sends its form, as it does in a text field: browsers only submit
 * implicitly from text fields, and the intake moves to the next step on Enter wherever the focus is.
 */
export function submitOnEnter(event: KeyboardEvent & { currentTarget: HTMLInputElement }): void {
	if (event.key !== 'Enter') return;
	event.preventDefault();
	event.currentTarget.form?.requestSubmit();
}
