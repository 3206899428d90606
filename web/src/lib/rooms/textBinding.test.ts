import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bindTextarea, diffText, transformPosition, type TextareaLike, type TextDelta } from './textBinding';

const apply = (text: string, change: ReturnType<typeof diffText>) =>
	change ? text.slice(0, change.index) + change.insert + text.slice(change.index + change.remove) : text;

describe('diffText', () => {
	it('BIND-1: finds single insertions, deletions and replacements', () => {
		expect(diffText('hello', 'hello world')).toEqual({ index: 5, remove: 0, insert: ' world' });
		expect(diffText('hello world', 'hello')).toEqual({ index: 5, remove: 6, insert: '' });
		expect(diffText('hello', 'help!')).toEqual({ index: 3, remove: 2, insert: 'p!' });
		expect(diffText('same', 'same')).toBeNull();
		expect(diffText('', 'abc')).toEqual({ index: 0, remove: 0, insert: 'abc' });
	});

	it('BIND-2: uses the caret to place ambiguous edits', () => {
		// Typing "a" at the start of "aa": without the caret the diff would insert at the end.
		expect(diffText('aa', 'aaa', 1)).toEqual({ index: 0, remove: 0, insert: 'a' });
		expect(diffText('aa', 'aaa')).toEqual({ index: 2, remove: 0, insert: 'a' });
		// Backspace of the first "l" of "hello" (caret at 2 afterwards).
		expect(diffText('hello', 'helo', 2)).toEqual({ index: 2, remove: 1, insert: '' });
	});

	it('BIND-3: never splits an emoji', () => {
		const before = 'a😀b';
		const after = 'a😃b';
		const change = diffText(before, after)!;
		expect(apply(before, change)).toBe(after);
		expect(change.insert).toBe('😃');
	});

	it('BIND-4: applying the diff always gives the new text (seeded fuzz)', () => {
		let seed = 42;
		const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		const alphabet = 'ab \n';
		const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
		for (let i = 0; i < 2000; i++) {
			const before = word(Math.floor(random() * 12));
			const at = Math.floor(random() * (before.length + 1));
			const cut = Math.floor(random() * (before.length - at + 1));
			const inserted = word(Math.floor(random() * 4));
			const after = before.slice(0, at) + inserted + before.slice(at + cut);
			const change = diffText(before, after, at + inserted.length);
			expect(apply(before, change), JSON.stringify({ before, after })).toBe(after);
		}
	});
});

describe('transformPosition', () => {
	const insertAt = (index: number, text: string): TextDelta => (index ? [{ retain: index }, { insert: text }] : [{ insert: text }]);
	const deleteAt = (index: number, count: number): TextDelta => (index ? [{ retain: index }, { delete: count }] : [{ delete: count }]);

	it('BIND-5: shifts a caret after remote inserts before it, not after', () => {
		expect(transformPosition(5, insertAt(2, 'xyz'))).toBe(8);
		expect(transformPosition(5, insertAt(7, 'xyz'))).toBe(5);
		expect(transformPosition(5, insertAt(5, 'xyz'))).toBe(5);
		expect(transformPosition(5, insertAt(5, 'xyz'), true)).toBe(8);
	});

	it('BIND-6: pulls a caret back after remote deletes, clamping inside the deleted range', () => {
		expect(transformPosition(5, deleteAt(0, 2))).toBe(3);
		expect(transformPosition(5, deleteAt(3, 10))).toBe(3);
		expect(transformPosition(5, deleteAt(6, 2))).toBe(5);
	});
});

class FakeTextarea implements TextareaLike {
	value = '';
	selectionStart: number | null = 0;
	selectionEnd: number | null = 0;
	private listeners = new Map<string, Set<() => void>>();
	setSelectionRange(start: number, end: number) {
		this.selectionStart = start;
		this.selectionEnd = end;
	}
	addEventListener(type: string, listener: () => void) {
		if (!this.listeners.has(type)) this.listeners.set(type, new Set());
		this.listeners.get(type)!.add(listener);
	}
	removeEventListener(type: string, listener: () => void) {
		this.listeners.get(type)?.delete(listener);
	}
	/** Simulates the user typing: the browser changes value and caret, then fires `input`. */
	type(value: string, caret: number) {
		this.value = value;
		this.setSelectionRange(caret, caret);
		for (const l of this.listeners.get('input') ?? []) l();
	}
}

/** Two docs wired directly: updates are delivered when `flush` is called, like a server relaying them. */
function pair() {
	const a = new Y.Doc();
	const b = new Y.Doc();
	const queue: Array<[Y.Doc, Uint8Array]> = [];
	a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && queue.push([b, u]));
	b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && queue.push([a, u]));
	const flush = () => {
		while (queue.length) {
			const [doc, update] = queue.shift()!;
			Y.applyUpdate(doc, update, 'remote');
		}
	};
	return { a, b, flush };
}

describe('bindTextarea', () => {
	it('BIND-7: local typing edits the Y.Text by minimal diff, and concurrent edits merge', () => {
		const { a, b, flush } = pair();
		const ta = new FakeTextarea();
		const tb = new FakeTextarea();
		bindTextarea(ta, a.getText('notes'));
		bindTextarea(tb, b.getText('notes'));

		ta.type('Bonjour', 7);
		flush();
		expect(tb.value).toBe('Bonjour');

		// Both type at once at different places; neither overwrites the other.
		ta.type('Bonjour à tous', 14);
		tb.type('Oui. Bonjour', 5);
		flush();
		expect(ta.value).toBe('Oui. Bonjour à tous');
		expect(tb.value).toBe('Oui. Bonjour à tous');
		expect(a.getText('notes').toString()).toBe('Oui. Bonjour à tous');
	});

	it('BIND-8: a remote change keeps the local caret on the same character', () => {
		const { a, b, flush } = pair();
		const ta = new FakeTextarea();
		const tb = new FakeTextarea();
		bindTextarea(ta, a.getText('notes'));
		bindTextarea(tb, b.getText('notes'));
		ta.type('abcdef', 6);
		flush();
		tb.setSelectionRange(3, 3); // caret between "c" and "d"
		ta.type('XYabcdef', 2);
		flush();
		expect(tb.value).toBe('XYabcdef');
		expect(tb.selectionStart).toBe(5);
		expect(tb.selectionEnd).toBe(5);
	});

	it('BIND-9: unbinding stops both directions', () => {
		const { a, b, flush } = pair();
		const ta = new FakeTextarea();
		const tb = new FakeTextarea();
		const unbind = bindTextarea(ta, a.getText('notes'));
		bindTextarea(tb, b.getText('notes'));
		unbind();
		ta.type('ignored', 7);
		flush();
		expect(tb.value).toBe('');
		b.getText('notes').insert(0, 'remote');
		flush();
		expect(ta.value).toBe('ignored');
	});
});
