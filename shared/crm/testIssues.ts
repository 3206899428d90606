import type { z } from 'zod';

/** Test helper: the first issue of each field, as `path → message` (a catalogue key, or zod's own text). */
export function issuesByField(result: z.ZodSafeParseResult<unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	if (result.success) return out;
	for (const issue of result.error.issues) {
		const path = issue.path.map(String).join('.') || '_form';
		out[path] ??= issue.message;
	}
	return out;
}

/** Test helper: the first issue of each field, as `path → zod issue code`. */
export function codesByField(result: z.ZodSafeParseResult<unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	if (result.success) return out;
	for (const issue of result.error.issues) out[issue.path.map(String).join('.') || '_form'] ??= issue.code;
	return out;
}
