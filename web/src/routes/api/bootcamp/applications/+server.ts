import { json } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { clientAddress } from '$lib/server/publicForms/clientAddress';
import { readCappedJson } from '$shared/cappedBody';
import { PUBLIC_BODY_LIMIT } from '$shared/publicApi';
import { getEnv } from '$lib/server/env';
import { submitApplication } from '../../../bootcamp/submitApplication.server';
import type { RequestHandler } from './$types';

/**
 * `POST /api/bootcamp/applications` with the application form as JSON (shared/bootcamp/application.ts), for
 * anyone, signed in or not: 201 `{ ok: true }`; 400/409 `{ ok: false, error, fields }` (French or English
 * messages per field, as the `lang` cookie says); 413 over 64 KiB; 429 after 5 from one address in 10 minutes;
 * 503 when bknd cannot be reached (nothing stored).
 */
export const POST: RequestHandler = async (event) => {
	const { request, locals, platform } = event;
	const noStore = { 'cache-control': 'no-store' };
	const body = await readCappedJson(request, PUBLIC_BODY_LIMIT);
	if (!body.ok) {
		const key = body.status === 413 ? 'form.bodyTooLarge' : 'form.invalid';
		return json({ ok: false, error: translate(locals.lang, key) }, { status: body.status, headers: noStore });
	}
	const result = await submitApplication(getEnv(platform), locals.lang, clientAddress(event), body.value);
	switch (result.status) {
		case 201:
			return json({ ok: true }, { status: 201, headers: noStore });
		case 400:
		case 409:
			return json({ ok: false, error: result.message, fields: result.fields }, { status: result.status, headers: noStore });
		case 429:
			return json({ ok: false, error: result.message }, { status: 429, headers: { ...noStore, 'retry-after': String(result.retryAfterSeconds) } });
		case 503:
			return json({ ok: false, error: result.message }, { status: 503, headers: noStore });
		default:
			return result satisfies never;
	}
};
