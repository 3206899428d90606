import { error, fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { isStaff, type SessionUser } from '$shared/roles';
import type { FormFailure } from '$lib/components/crm/formResult';
import { fieldErrors } from '$lib/forms/fieldErrors';
import { translate } from '$lib/i18n';
import { BkndUnavailableError } from '../bknd';
import { getEnv, type ServerEnv } from '../env';
import { requireUser, withBknd } from '../guards';

export type { FormFailure };

// The doors of the CRM (staff only): one for page loads, one for form actions. Actions do not run the pages'
// loads first, so each action checks for itself. A form that was not saved comes back with what was typed
// (`values`) and why (`errors` by field, `bkndUnavailable`, or a form-level `message`), with or without JavaScript.

/** The signed-in staff member of a request, with what is needed to call bknd as them. */
export interface Staff {
	user: SessionUser;
	token: string;
	env: ServerEnv;
}

type Event = Pick<RequestEvent, 'locals' | 'url' | 'platform' | 'request'>;

/** For page loads: anonymous visitors go to `/login`, non-staff get 403, bknd down gives 503. */
export function requireStaff(event: Event): Staff {
	const { user, token } = requireUser(event);
	if (!isStaff(user.role)) error(403, translate(event.locals.lang, 'error.body403'));
	return { user, token, env: getEnv(event.platform) };
}

/** The answer of a form that was not saved (SvelteKit's `fail`, so the page renders it in `form`). */
export function formFailure(status: number, failure: FormFailure): ActionFailure<FormFailure> {
	return fail(status, failure);
}

// What is sent back is what was typed, nothing more: a long paste is cut rather than echoed whole.
const MAX_ECHOED_VALUE = 8_000;
const MAX_ECHOED_FIELDS = 40;

/** A submitted form's text values (files ignored), to validate and to send back when not saved. */
async function readValues(request: Request): Promise<Record<string, string>> {
	const values: Record<string, string> = {};
	let form: FormData;
	try {
		form = await request.formData();
	} catch {
		return values;
	}
	for (const [name, value] of form) {
		if (typeof value !== 'string' || name in values || Object.keys(values).length >= MAX_ECHOED_FIELDS) continue;
		values[name] = value.slice(0, MAX_ECHOED_VALUE);
	}
	return values;
}

/**
 * Runs a CRM form action: staff only (anonymous → /login, others 403, checked before anything is read into
 * bknd), the form validated with the same zod schema as the browser (400 with French field errors), and bknd
 * being unreachable answered 503 with the values kept. `run` gets the parsed data and may return its own
 * `formFailure` (e.g. a slug bknd refused) or redirect.
 *
 * @example
 * export const actions = { default: (event) => staffAction(event, 'client', clientFormSchema, async ({ data, env, token }) => { ... }) };
 */
export async function staffAction<S extends z.ZodType, R>(
	event: Event,
	form: string,
	schema: S,
	run: (input: Staff & { data: z.output<S>; values: Record<string, string> }) => Promise<R>
): Promise<R | ActionFailure<FormFailure>> {
	const { locals, url } = event;
	const values = await readValues(event.request);
	// Who is asking could not even be checked (bknd down): the only answer is their own values and the reason.
	if (locals.bkndUnavailable) return formFailure(503, { form, values, bkndUnavailable: true });
	if (!locals.user || !locals.bkndToken) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (!isStaff(locals.user.role)) error(403, translate(locals.lang, 'error.body403'));

	const parsed = schema.safeParse(values);
	if (!parsed.success) return formFailure(400, { form, values, errors: fieldErrors(parsed.error) });
	try {
		return await run({ user: locals.user, token: locals.bkndToken, env: getEnv(event.platform), data: parsed.data, values });
	} catch (caught) {
		if (!(caught instanceof BkndUnavailableError)) throw caught;
		console.error(`[crm] ${caught.message}`);
		return formFailure(503, { form, values, bkndUnavailable: true });
	}
}

/**
 * A page load of a CRM page with forms. After a POST whose save failed because bknd was unreachable, the page is
 * still rendered (with `fallback` data and `degraded: true`) so the form comes back filled with what was typed,
 * even without JavaScript; a plain visit with bknd down is a 503 page as everywhere else. Nothing of bknd's
 * data is in `fallback`, and the degraded page shows only the visitor's own values, so it needs no signed-in user.
 */
export async function staffFormLoad<T extends object>(event: Event, fallback: T, load: (staff: Staff) => Promise<T>): Promise<T & { degraded: boolean }> {
	const afterPost = event.request.method === 'POST';
	if (afterPost && event.locals.bkndUnavailable) return { ...fallback, degraded: true };
	const staff = requireStaff(event);
	try {
		return { ...(await load(staff)), degraded: false };
	} catch (caught) {
		if (!(caught instanceof BkndUnavailableError)) throw caught;
		console.error(`[crm] ${caught.message}`);
		if (afterPost) return { ...fallback, degraded: true };
		error(503, translate(event.locals.lang, 'api.bkndUnavailable'));
	}
}

/** Runs a CRM page load's bknd calls as the staff member; bknd down is a clear 503 page. */
export function staffLoad<T>(event: Event, load: (staff: Staff) => Promise<T>): Promise<T> {
	const staff = requireStaff(event);
	return withBknd(event.locals.lang, () => load(staff));
}

/** A save that bknd (or a check before it) refused, as the form's answer: field errors, or a form-level message. */
export function saveFailure(
	form: string,
	values: Record<string, string>,
	refusal: { status: number; errors: FormFailure['errors'] } | { status: number; message: NonNullable<FormFailure['message']> }
): ActionFailure<FormFailure> {
	return 'errors' in refusal
		? formFailure(refusal.status, { form, values, errors: refusal.errors })
		: formFailure(refusal.status, { form, values, message: refusal.message });
}
