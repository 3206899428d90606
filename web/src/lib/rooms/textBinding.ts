import type * as Y from 'yjs';

/** One contiguous edit: at `index`, remove `remove` characters, then insert `insert`. */
export interface TextChange {
	index: number;
	remove: number;
	insert: string;
}

/**
 * The smallest single-range edit that turns `before` into `after`.
 * `caret` (the selection end after the edit) settles ambiguous cases: typing "a" inside "aa"
 * is placed at the caret, not at the end of the longest common prefix.
 * @example diffText('hello', 'help!', 5) // { index: 3, remove: 2, insert: 'p!' }
 */
export function diffText(before: string, after: string, caret?: number): TextChange | null {
	if (before === after) return null;
	let prefix = 0;
	const maxPrefix = Math.min(before.length, after.length);
	while (prefix < maxPrefix && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
	if (caret !== undefined) {
		// An insertion of k characters ending at the caret starts at caret - k; the prefix cannot run past it.
		const grown = Math.max(0, after.length - before.length);
		prefix = Math.min(prefix, Math.max(0, caret - grown));
	}
	let suffix = 0;
	const maxSuffix = Math.min(before.length, after.length) - prefix;
	while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
	// Never split a surrogate pair (emoji): widen the range to whole code points.
	if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
	if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
	return { index: prefix, remove: before.length - prefix - suffix, insert: after.slice(prefix, after.length - suffix) };
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** A Yjs text delta, as `Y.YTextEvent.delta` gives it. */
export type TextDelta = ReadonlyArray<{ insert?: unknown; delete?: number; retain?: number }>;

/**
 * Where a caret at `position` ends up after a remote `delta`. Text inserted exactly at the caret
 * goes after it for a caret end, before it for a start (`stickToEnd`), so a selection does not swallow it.
 */
export function transformPosition(position: number, delta: TextDelta, stickToEnd = false): number {
	let oldIndex = 0; // where the walk is, in the text before the change
	let shift = 0;
	for (const op of delta) {
		if (oldIndex > position) break;
		if (op.retain !== undefined) {
			oldIndex += op.retain;
		} else if (op.insert !== undefined) {
			const length = typeof op.insert === 'string' ? op.insert.length : 1;
			if (oldIndex < position || (oldIndex === position && stickToEnd)) shift += length;
		} else if (op.delete !== undefined) {
			if (oldIndex < position) shift -= Math.min(op.delete, position - oldIndex);
			oldIndex += op.delete;
		}
	}
	return Math.max(0, position + shift);
}

/** The textarea features the binding uses (a real `HTMLTextAreaElement` has them; tests pass a fake). */
export interface TextareaLike {
	value: string;
	selectionStart: number | null;
	selectionEnd: number | null;
	setSelectionRange(start: number, end: number): void;
	addEventListener(type: string, listener: () => void): void;
	removeEventListener(type: string, listener: () => void): void;
}

/** The transaction origin of local typing, so the observer skips our own edits. */
export const LOCAL_ORIGIN = Symbol('textarea');

/**
 * Keeps `textarea` and `text` equal both ways: each input applies its minimal diff to the Y.Text
 * (so concurrent edits merge instead of overwriting), and each remote change rewrites the textarea
 * while keeping the caret where the user left it. Returns the function that unbinds.
 */
export function bindTextarea(textarea: TextareaLike, text: Y.Text): () => void {
	let shown = text.toString();
	let composing = false;
	textarea.value = shown;

	const applyLocal = () => {
		if (composing) return;
		const next = textarea.value;
		const change = diffText(shown, next, textarea.selectionEnd ?? undefined);
		shown = next;
		if (!change) return;
		text.doc!.transact(() => {
			if (change.remove > 0) text.delete(change.index, change.remove);
			if (change.insert) text.insert(change.index, change.insert);
		}, LOCAL_ORIGIN);
	};
	const onCompositionStart = () => {
		composing = true;
	};
	const onCompositionEnd = () => {
		composing = false;
		applyLocal();
	};

	const observer = (event: Y.YTextEvent, transaction: Y.Transaction) => {
		if (transaction.origin === LOCAL_ORIGIN) return;
		const start = textarea.selectionStart ?? 0;
		const end = textarea.selectionEnd ?? start;
		const next = text.toString();
		if (next === textarea.value) {
			shown = next;
			return;
		}
		// Unapplied local input (mid-composition) would be lost; take the remote text, it is the shared truth.
		const delta = event.delta as TextDelta;
		textarea.value = next;
		shown = next;
		const collapsed = start === end;
		const newStart = transformPosition(start, delta, false);
		const newEnd = collapsed ? newStart : transformPosition(end, delta, true);
		textarea.setSelectionRange(newStart, Math.max(newStart, newEnd));
	};

	textarea.addEventListener('input', applyLocal);
	textarea.addEventListener('compositionstart', onCompositionStart);
	textarea.addEventListener('compositionend', onCompositionEnd);
	text.observe(observer);
	return () => {
		textarea.removeEventListener('input', applyLocal);
		textarea.removeEventListener('compositionstart', onCompositionStart);
		textarea.removeEventListener('compositionend', onCompositionEnd);
		text.unobserve(observer);
	};
}
