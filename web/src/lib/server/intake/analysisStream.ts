import type { IntakeAnalysis } from '$shared/intake/analysis';
import type { IntakeBrief } from '$shared/intake/brief';
import { INTAKE_STREAM_TYPE, type IntakeEvent } from '$shared/intake/stream';
import { translate, type Lang } from '$lib/i18n';
import { analyseLead } from './analyseLead';
import type { ClaudeSettings } from './claudeAnalyser';

// The answer of POST /api/leads once the lead is saved: an NDJSON stream (shared/intake/stream.ts) that starts
// with `saved` at once, follows the analysis as it is written, and ends with the stored analysis. The work runs
// beside the response (and under `waitUntil` on Cloudflare), so a visitor who closes the page does not stop
// it: the analysis still reaches the lead. Writes after the visitor left are dropped.

export interface AnalysisStreamOptions {
	leadId: number;
	brief: IntakeBrief;
	claude: ClaudeSettings | null;
	lang: Lang;
	/** Stores the analysis on the lead; throws when it could not (the visitor still gets the analysis). Null: nothing to store (the honeypot). */
	store: ((analysis: IntakeAnalysis) => Promise<void>) | null;
	/** The platform's `waitUntil`, so the analysis outlives a closed connection. */
	waitUntil?: (work: Promise<unknown>) => void;
}

const HEADERS = {
	'content-type': `${INTAKE_STREAM_TYPE}; charset=utf-8`,
	'cache-control': 'no-store',
	// Proxies that buffer by default (nginx) pass each event on at once with this.
	'x-accel-buffering': 'no'
};

/** The streamed answer; the analysis starts now and its events follow the `saved` one. */
export function analysisStream(options: AnalysisStreamOptions): Response {
	const { leadId, brief, claude, lang, store } = options;
	const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
	const writer = writable.getWriter();
	const encoder = new TextEncoder();
	let listening = true;
	const send = (event: IntakeEvent) => {
		if (!listening) return;
		// Not awaited: a slow reader must not hold the analysis back, and a gone one only stops the writes.
		writer.write(encoder.encode(`${JSON.stringify(event)}\n`)).catch(() => {
			listening = false;
		});
	};

	const work = (async () => {
		send({ type: 'saved', leadId });
		const outcome = await analyseLead(brief, { claude, lang, onProgress: (progress) => send({ type: 'progress', ...progress }) });
		const { analysis, source } = outcome;
		send({ type: 'progress', stage: 'storing', percent: 95 });
		try {
			if (store) {
				await store(analysis);
				console.info(`[intake] lead ${leadId}: ${source} analysis stored${outcome.fallback ? ` (offline: ${outcome.fallback})` : ''}, ${outcome.attempts} request(s) to Claude`);
			}
			send({ type: 'result', analysis, source });
		} catch (error) {
			console.error(`[intake] lead ${leadId}: the ${source} analysis could not be stored`, error);
			send({ type: 'error', message: translate(lang, 'intake.analysisNotStored'), analysis, source });
		}
	})()
		.catch((error) => console.error(`[intake] lead ${leadId}: analysis failed`, error))
		.finally(() => writer.close().catch(() => undefined));
	options.waitUntil?.(work);

	return new Response(readable, { status: 200, headers: HEADERS });
}
