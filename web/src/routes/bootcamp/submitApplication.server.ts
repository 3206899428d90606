import { bootcampApplicationSchema, isHoneypotFilled } from '$shared/bootcamp/application';
import { fieldErrors } from '$lib/forms/fieldErrors';
import { translator, type Lang } from '$lib/i18n';
import type { ServerEnv } from '$lib/server/env';
import { postApplication } from './bootcampBknd.server';
import { fieldMessages, type FieldMessages } from './fieldMessages';

// One application, whichever way it came (the JSON endpoint the page calls, or the form post without
// JavaScript): validated with the page's own schema, then sent to bknd, which checks the cohort and the
// per-address limit. The answer is already in the visitor's language.

export type Submission =
	| { status: 201 }
	| { status: 400 | 409; message: string; fields: FieldMessages }
	| { status: 429; message: string; retryAfterSeconds: number }
	| { status: 503; message: string };

export async function submitApplication(env: ServerEnv, lang: Lang, address: string, raw: unknown): Promise<Submission> {
	const t = translator(lang);
	const parsed = bootcampApplicationSchema.safeParse(raw);
	if (!parsed.success) return { status: 400, message: t('form.fixErrors'), fields: fieldMessages(fieldErrors(parsed.error), t) };
	// A bot filled the hidden field: it sees a success, bknd sees nothing (and the address is not even counted).
	if (isHoneypotFilled(parsed.data)) return { status: 201 };

	const result = await postApplication(env, address, parsed.data);
	switch (result.kind) {
		case 'created':
			return { status: 201 };
		case 'refused': {
			const message = t(`bootcamp.refused.${result.reason}`);
			return { status: 409, message, fields: { cohortId: message } };
		}
		case 'limited':
			return { status: 429, message: t('form.tooManySubmissions', { minutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) }), retryAfterSeconds: result.retryAfterSeconds };
		case 'unavailable':
			return { status: 503, message: t('form.bkndUnavailable') };
		default:
			return result satisfies never;
	}
}
