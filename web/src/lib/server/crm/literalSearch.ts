// A search box's text as a literal part of a word, searched with bknd's `$like`.
//
// bknd 0.20 turns `{ $like: p }` into SQL `col LIKE p` after replacing every `*` of p by `%`, with no ESCAPE
// clause: `%`, `_` and `*` typed by a person would be wildcards (`%` alone listed every client), and SQLite's
// LIKE has no escape character without ESCAPE. So each of them is sent as `_` (exactly one character, which
// also matches itself): bknd answers a superset of the literal matches, and `matchesLiterally` keeps the
// literal ones, compared as SQLite's LIKE compares (ASCII letters case-insensitive, everything else exact).

/** bknd characters that are wildcards in a `$like` pattern. */
const WILDCARDS = /[%_*]/g;

/** The `$like` pattern finding `text` anywhere in a column (wildcards in `text` sent as `_`; see above). */
export function likePattern(text: string): string {
	return `%${text.replace(WILDCARDS, '_')}%`;
}

/** SQLite's LIKE folds the case of ASCII letters only (`É` and `é` differ): the same here. */
function foldAscii(text: string): string {
	return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** Whether `value` contains `text` literally, as `LIKE likePattern(text)` would compare it without wildcards. */
export function matchesLiterally(value: string | null | undefined, text: string): boolean {
	return typeof value === 'string' && foldAscii(value).includes(foldAscii(text));
}
