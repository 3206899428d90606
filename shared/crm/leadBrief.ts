// A lead's `brief` JSON (the visitor's whole intake form, shared/intake/brief.ts), flattened into labelled lines
// for the lead page. Read defensively: the column may be absent, from an older form, or anything at all. Keys
// become labels (a known key gets its catalogue label in the web app; others are shown humanised), nested
// objects become "section › field" lines, arrays of words one line, and everything is bounded.

/** One line of the brief: where it sits (`['contact', 'email']`) and what it says. */
export interface BriefLine {
	path: string[];
	value: string | string[];
}

const MAX_LINES = 200;
const MAX_DEPTH = 4;
const TEXT_MAX = 5_000;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function scalar(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() ? value.trim().slice(0, TEXT_MAX) : null;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	return null;
}

/** The brief as lines, in the order the form wrote them; `[]` when there is none or it is not an object. */
export function briefLines(value: unknown): BriefLine[] {
	let brief = value;
	if (typeof value === 'string') {
		try {
			brief = JSON.parse(value);
		} catch {
			return scalar(value) ? [{ path: ['brief'], value: scalar(value)! }] : [];
		}
	}
	const lines: BriefLine[] = [];
	const visit = (node: unknown, path: string[]) => {
		if (lines.length >= MAX_LINES) return;
		const single = scalar(node);
		if (single !== null) {
			lines.push({ path, value: single });
			return;
		}
		if (Array.isArray(node)) {
			const words = node.map(scalar);
			if (words.every((w) => w !== null)) {
				if (words.length > 0) lines.push({ path, value: (words as string[]).slice(0, 50) });
				return;
			}
			if (path.length >= MAX_DEPTH) return;
			node.slice(0, 50).forEach((item, index) => visit(item, [...path, String(index + 1)]));
			return;
		}
		if (isRecord(node) && path.length < MAX_DEPTH) {
			for (const [key, child] of Object.entries(node)) if (!FORBIDDEN.has(key)) visit(child, [...path, key.slice(0, 60)]);
		}
	};
	if (isRecord(brief)) visit(brief, []);
	return lines;
}

/**
 * A key as a label when the catalogue has none: `project_goals` → "Project goals", `budgetRange` → "Budget range".
 */
export function humanizeKey(key: string): string {
	const spaced = key
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.replace(/[_-]+/g, ' ')
		.trim()
		.toLowerCase();
	return spaced ? spaced[0]!.toUpperCase() + spaced.slice(1) : key;
}
