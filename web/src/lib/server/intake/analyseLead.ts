import { ANALYSIS_SECTIONS, completeAnalysis, type AnalysisSource, type IntakeAnalysis } from '../../../../../shared/intake/analysis';
import type { IntakeBrief } from '../../../../../shared/intake/brief';
import type { IntakeStage } from '../../../../../shared/intake/stream';
import { analyseWithClaude, ClaudeError, type ClaudeFailure, type ClaudeSettings } from './claudeAnalyser';
import { analyseOffline } from './offlineAnalyser';
import type { Lang } from '../../i18n';

// The analysis of a saved lead: Claude when a key is configured, the offline analyser otherwise, and the
// offline analyser again whenever Claude cannot give a valid answer in time. It never throws and always
// resolves with a schema-valid analysis, so the visitor always gets one.
//
// Policy (ours, not the SDK's: its retries are off, claudeAnalyser.ts):
// - 429, 5xx and lost connections are retried with exponential backoff (0.5 s, 1 s, 2 s… up to 8 s), or after
//   exactly the `retry-after` the answer asks for; never past the time limit: a wait that would end after it
//   falls back at once instead of waiting in vain;
// - a malformed or schema-violating answer is retried once, then falls back;
// - any other refusal (bad key, bad request) falls back at once;
// - the whole thing, waits included, stops at the time limit (30 s): the attempt under way is aborted.

/** How long the visitor may wait for Claude, retries included, before the offline analysis answers. */
export const ANALYSIS_TIME_LIMIT_MS = 30_000;
export const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 8_000 } as const;
/** Attempts at most, whatever the time left (a busy API is not hammered). */
export const MAX_ATTEMPTS = 6;

/** Why the offline analyser answered. */
export type FallbackReason = 'no_key' | 'timeout' | 'malformed' | 'rate_limited' | 'unavailable' | 'refused';

export interface AnalysisProgress {
	stage: IntakeStage;
	/** 0-100, never going back during one analysis. */
	percent: number;
	/** The attempt about to start (`connecting`, `retrying`). */
	attempt?: number;
	/** How long before the next attempt (`retrying`). */
	waitSeconds?: number;
}

export interface AnalyseOptions {
	/** Claude's settings; null: offline analysis only (no ANTHROPIC_API_KEY). */
	claude: ClaudeSettings | null;
	onProgress?: (progress: AnalysisProgress) => void;
	timeLimitMs?: number;
	backoff?: { baseMs: number; maxMs: number };
	/** Where failed attempts are logged (never the brief). */
	log?: (message: string) => void;
	/** The visitor's language, which Claude writes in (the offline analysis is French only). */
	lang?: Lang;
}

export interface AnalyseOutcome {
	analysis: IntakeAnalysis;
	source: AnalysisSource;
	/** Requests made to Claude. */
	attempts: number;
	/** Why the analysis is offline; null when Claude wrote it. */
	fallback: FallbackReason | null;
}

/** Analyses a brief; resolves with a valid analysis whatever happens (see the policy above). */
export async function analyseLead(brief: IntakeBrief, options: AnalyseOptions): Promise<AnalyseOutcome> {
	const report = monotonic(options.onProgress);
	const log = options.log ?? ((message: string) => console.warn(`[intake] ${message}`));
	const offline = (fallback: FallbackReason, attempts: number): AnalyseOutcome => {
		report({ stage: 'offline', percent: 60 });
		return { analysis: completeAnalysis(analyseOffline(brief), 'offline'), source: 'offline', attempts, fallback };
	};
	if (!options.claude) return offline('no_key', 0);

	const claude = options.claude;
	const backoff = options.backoff ?? DEFAULT_BACKOFF;
	const deadline = Date.now() + (options.timeLimitMs ?? ANALYSIS_TIME_LIMIT_MS);
	let malformed = 0;
	let retried = 0;
	for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) return offline('timeout', attempt - 1);
		report({ stage: 'connecting', percent: 5, attempt });
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), remaining);
		let failure: ClaudeFailure;
		try {
			const content = await analyseWithClaude(brief, claude, {
				signal: controller.signal,
				timeoutMs: remaining + 1_000,
				lang: options.lang,
				onSection: (section) => report({ stage: section, percent: sectionPercent(section) })
			});
			return { analysis: completeAnalysis(content, 'claude'), source: 'claude', attempts: attempt, fallback: null };
		} catch (caught) {
			failure = caught instanceof ClaudeError ? caught.failure : { kind: 'malformed', detail: String(caught) };
			log(`attempt ${attempt}: ${caught instanceof Error ? caught.message : String(caught)}`);
		} finally {
			clearTimeout(timer);
		}

		switch (failure.kind) {
			case 'aborted':
				return offline('timeout', attempt);
			case 'fatal':
				return offline('refused', attempt);
			case 'malformed':
				malformed += 1;
				if (malformed >= 2) return offline('malformed', attempt);
				break;
			case 'retryable': {
				retried += 1;
				const wait = failure.retryAfterMs ?? Math.min(backoff.maxMs, backoff.baseMs * 2 ** (retried - 1));
				if (attempt === MAX_ATTEMPTS || Date.now() + wait >= deadline) return offline(failure.status === 429 ? 'rate_limited' : 'unavailable', attempt);
				report({ stage: 'retrying', percent: 5, attempt: attempt + 1, waitSeconds: Math.ceil(wait / 1000) });
				await new Promise((resolve) => setTimeout(resolve, wait));
				break;
			}
			default:
				failure satisfies never;
		}
	}
	return offline('unavailable', MAX_ATTEMPTS);
}

/** 10 % when the first section starts, about 81 % for the last one; storing and the result take the rest. */
export function sectionPercent(section: (typeof ANALYSIS_SECTIONS)[number]): number {
	return 10 + Math.round((80 * ANALYSIS_SECTIONS.indexOf(section)) / ANALYSIS_SECTIONS.length);
}

/** Progress reports whose percent never goes back (a retry starts the sections again). */
function monotonic(onProgress: AnalyseOptions['onProgress']): (progress: AnalysisProgress) => void {
	let highest = 0;
	return (progress) => {
		highest = Math.max(highest, progress.percent);
		onProgress?.({ ...progress, percent: highest });
	};
}
