import { json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import { intakeBriefSchema } from '$shared/intake/brief';
import { fieldErrors } from '$lib/forms/fieldErrors';
import { translate, type MessageKey, type MessageParams } from '$lib/i18n';
import { BkndUnavailableError } from '$lib/server/bknd';
import { getEnv, type ServerEnv } from '$lib/server/env';
import { analysisStream } from '$lib/server/intake/analysisStream';
import { createIntakeLead, storeLeadAnalysis } from '$lib/server/intake/bkndIntake';
import type { ClaudeSettings } from '$lib/server/intake/claudeAnalyser';
import { clientAddress } from '$lib/server/publicForms/clientAddress';
import { readCappedJson } from '$shared/cappedBody';
import { PUBLIC_BODY_LIMIT } from '$shared/publicApi';

/**
 * `POST /api/leads`: the public intake (the /intake page), no sign-in. The body is the brief
 * (shared/intake/brief.ts) plus the honeypot field `website`.
 *
 * In this order: same origin only (403); at most 64 KiB (413) of JSON (400); the brief validated with the
 * page's own schema (400 `{ error, errors: { field: message } }`); a filled honeypot gets a success that stores
 * nothing; the lead is saved in bknd FIRST (429 over 5 submissions per address in 10 minutes, 503 when bknd
 * cannot save it: nothing is half-made). Only then the analysis streams (lib/server/intake/analysisStream.ts).
 * Every refusal is `{ error }` in the visitor's language.
 */
export const POST: RequestHandler = async (event) => {
	const { request, url, locals, platform } = event;
	const lang = locals.lang;
	// Kit checks the origin of form posts only: a JSON post from another site is refused here.
	const origin = request.headers.get('origin');
	if (origin !== null && origin !== url.origin) return refusal(event, 403, 'intake.crossOrigin');

	const body = await readCappedJson(request, PUBLIC_BODY_LIMIT);
	if (!body.ok) return refusal(event, body.status, body.status === 413 ? 'form.bodyTooLarge' : 'intake.badBody');
	const { website, ...fields } = isRecord(body.value) ? body.value : {};
	const parsed = intakeBriefSchema.safeParse(fields);
	if (!parsed.success) {
		const errors = Object.fromEntries(Object.entries(fieldErrors(parsed.error)).map(([field, error]) => [field, translate(lang, error.key, error.params)]));
		return json({ error: translate(lang, 'form.fixErrors'), errors }, { status: 400, headers: NO_STORE });
	}
	const brief = parsed.data;
	const env = getEnv(platform);
	const waitUntil = waitUntilOf(platform);

	// The honeypot: people never see `website`, bots fill it. They get the answer of an offline analysis, same
	// shape as everyone's, and nothing reaches bknd (not even the submission count).
	if (typeof website === 'string' && website.trim() !== '') {
		console.info('[intake] honeypot filled: answered, nothing stored');
		return analysisStream({ leadId: 0, brief, claude: null, lang, store: null, waitUntil });
	}

	let leadId: number;
	try {
		const created = await createIntakeLead(env, brief, clientAddress(event));
		if (!created.ok) {
			const minutes = Math.max(1, Math.ceil(created.retryAfterSeconds / 60));
			return refusal(event, 429, 'form.tooManySubmissions', { minutes }, { 'retry-after': String(created.retryAfterSeconds) });
		}
		leadId = created.id;
	} catch (caught) {
		if (!(caught instanceof BkndUnavailableError)) throw caught;
		console.error(`[intake] ${caught.message}`);
		return refusal(event, 503, 'form.bkndUnavailable', undefined, { 'retry-after': '5' });
	}

	return analysisStream({
		leadId,
		brief,
		claude: claudeSettings(env),
		lang,
		store: (analysis) => storeLeadAnalysis(env, leadId, analysis),
		waitUntil
	});
};

const NO_STORE = { 'cache-control': 'no-store' };

function refusal(event: Pick<RequestEvent, 'locals'>, status: number, key: MessageKey, params?: MessageParams, headers: Record<string, string> = {}): Response {
	return json({ error: translate(event.locals.lang, key, params) }, { status, headers: { ...NO_STORE, ...headers } });
}

function claudeSettings(env: ServerEnv): ClaudeSettings | null {
	return env.ANTHROPIC_API_KEY ? { apiKey: env.ANTHROPIC_API_KEY, model: env.ANTHROPIC_MODEL, baseURL: env.ANTHROPIC_BASE_URL } : null;
}

/**
 * Cloudflare's `ctx.waitUntil` (the adapter puts the context on `platform.context`; app.d.ts types only `env`):
 * it keeps the analysis running, and storing, after a visitor closes the page.
 */
function waitUntilOf(platform: App.Platform | undefined): ((work: Promise<unknown>) => void) | undefined {
	const context = (platform as { context?: { waitUntil?: (work: Promise<unknown>) => void } } | undefined)?.context;
	return context?.waitUntil ? (work) => context.waitUntil!(work) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
