/**
 * @mentions and links in message bodies, as plain data the components render node by node: a body is
 * never turned into HTML, so nothing a peer writes can become markup.
 */

/** Someone who can be mentioned or named in a body. */
export interface MentionPerson {
	userId: string;
	name: string;
}

/** A piece of a message body: plain text, an @mention of a known person, or a safe http(s) link. */
export type BodySegment =
	| { kind: 'text'; text: string }
	| { kind: 'mention'; text: string; userId: string }
	| { kind: 'link'; text: string; href: string };

// A URL ends at whitespace or a character that cannot start the next word of prose.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+|\bwww\.[^\s<>"'`]+/gi;
// Punctuation that usually closes the sentence rather than the URL ("voir https://x.mg/a.").
const TRAILING = /[.,;:!?'"»)\]}]+$/;

/** `href` for a link written as `text`, or `null` unless it is an http(s) URL with a host. */
export function safeHref(text: string): string | null {
	const candidate = /^www\./i.test(text) ? `https://${text}` : text;
	try {
		const url = new URL(candidate);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? url.href : null;
	} catch {
		return null;
	}
}

/** Trims sentence punctuation off a matched URL, keeping a closing bracket that has its opening one inside. */
function trimUrl(raw: string): string {
	let url = raw;
	for (;;) {
		const match = TRAILING.exec(url);
		if (!match) return url;
		const last = url[url.length - 1]!;
		const opener = last === ')' ? '(' : last === ']' ? '[' : last === '}' ? '{' : null;
		if (opener && count(url, opener) >= count(url, last)) return url;
		url = url.slice(0, -1);
	}
}

const count = (text: string, ch: string) => text.split(ch).length - 1;

/** Splits text into text and link segments. */
export function linkify(text: string): BodySegment[] {
	const out: BodySegment[] = [];
	let last = 0;
	for (const match of text.matchAll(URL_PATTERN)) {
		const url = trimUrl(match[0]);
		const href = safeHref(url);
		if (!href) continue;
		const start = match.index;
		if (start > last) out.push({ kind: 'text', text: text.slice(last, start) });
		out.push({ kind: 'link', text: url, href });
		last = start + url.length;
	}
	if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
	return out;
}

/**
 * A body as segments: `@Name` of each mentioned person (longest names first, so "@Hery Rakoto" wins over
 * "@Hery") becomes a mention, http(s) URLs become links, the rest stays text.
 * @example segmentBody('Merci @Hery, voir https://fata.plus', [{ userId: '2', name: 'Hery' }])
 * // text "Merci ", mention "@Hery", text ", voir ", link "https://fata.plus"
 */
export function segmentBody(body: string, mentioned: readonly MentionPerson[]): BodySegment[] {
	const people = [...mentioned].filter((p) => p.name.trim() !== '').sort((a, b) => b.name.length - a.name.length);
	const out: BodySegment[] = [];
	let text = '';
	const flush = () => {
		if (text) out.push(...linkify(text));
		text = '';
	};
	let i = 0;
	while (i < body.length) {
		if (body[i] === '@' && (i === 0 || !isWordChar(body[i - 1]!))) {
			const person = people.find((p) => startsWithName(body, i + 1, p.name));
			if (person) {
				flush();
				out.push({ kind: 'mention', text: `@${person.name}`, userId: person.userId });
				i += 1 + person.name.length;
				continue;
			}
		}
		text += body[i];
		i++;
	}
	flush();
	return out;
}

function startsWithName(body: string, at: number, name: string): boolean {
	if (body.slice(at, at + name.length).toLocaleLowerCase() !== name.toLocaleLowerCase()) return false;
	const next = body[at + name.length];
	// "@Hery" must not match inside "@Heryniaina".
	return next === undefined || !isWordChar(next);
}

const isWordChar = (ch: string) => /[\p{L}\p{N}_]/u.test(ch);

// ---- autocomplete ----

/** The mention being typed at the caret: where its `@` is and what follows it. */
export interface MentionQuery {
	/** Index of the `@`. */
	start: number;
	query: string;
}

/** Names have at most this many words after the `@` while typing ("@Hery Ra"). */
const MAX_QUERY_WORDS = 3;
const MAX_QUERY_LENGTH = 40;

/**
 * The mention typed just before `caret`, or `null`: an `@` at the start or after a space or punctuation,
 * followed by up to three words on the same line.
 * @example mentionQueryAt('Bonjour @He', 11) // { start: 8, query: 'He' }
 */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
	const before = text.slice(0, caret);
	const at = before.lastIndexOf('@');
	if (at < 0) return null;
	if (at > 0 && isWordChar(before[at - 1]!)) return null; // an e-mail address, not a mention
	const query = before.slice(at + 1);
	if (query.length > MAX_QUERY_LENGTH || /[\n@]/.test(query) || /^\s/.test(query)) return null;
	if (query.split(/\s+/).length > MAX_QUERY_WORDS) return null;
	return { start: at, query };
}

/** Lower case without accents, so "elo" finds "Élodie". */
export function fold(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/**
 * The people matching `query`, best first: names starting with it, then a word starting with it, then
 * containing it; ties by name. An empty query lists everyone.
 */
export function matchPeople<P extends MentionPerson>(people: readonly P[], query: string, limit = 6): P[] {
	const q = fold(query.trim());
	const scored: Array<{ person: P; score: number }> = [];
	for (const person of people) {
		const name = fold(person.name);
		const score = q === '' ? 0 : name.startsWith(q) ? 0 : name.split(/[\s'-]+/).some((w) => w.startsWith(q)) ? 1 : name.includes(q) ? 2 : -1;
		if (score >= 0) scored.push({ person, score });
	}
	return scored
		.sort((a, b) => a.score - b.score || a.person.name.localeCompare(b.person.name))
		.slice(0, limit)
		.map((s) => s.person);
}

/**
 * Replaces the typed mention (from its `@` to the caret) with `@Name` and a space, and says where the caret goes.
 * @example insertMention('Merci @he', { start: 6, query: 'he' }, 9, 'Hery Rakoto') // { text: 'Merci @Hery Rakoto ', caret: 19 }
 */
export function insertMention(text: string, query: MentionQuery, caret: number, name: string): { text: string; caret: number } {
	const after = text.slice(caret);
	// Reuse a space already there rather than doubling it.
	const inserted = /^\s/.test(after) ? `@${name}` : `@${name} `;
	return { text: text.slice(0, query.start) + inserted + after, caret: query.start + inserted.length + (/^\s/.test(after) ? 1 : 0) };
}

/** The ids of the chosen people whose `@Name` is still in `body` (one may have been typed and then erased). */
export function mentionedIds(body: string, chosen: readonly MentionPerson[]): string[] {
	const ids = new Set<string>();
	for (const segment of segmentBody(body, chosen)) if (segment.kind === 'mention') ids.add(segment.userId);
	return [...ids];
}
