// What a non-staff caller (client, partner, anonymous) may ask bknd, decided before bknd sees the request.
// bknd's guard filters the rows of the entity named in the URL, but several doors reach other rows
// (docs/bknd.md "The guard, and the holes we close"; holes 7 and 8 of README.md below). Rather than patch each door we
// allow a short list of routes and query shapes that the web app needs, and refuse the rest:
//
//   POST /api/auth/password/login, GET /api/auth/me, GET /api/auth/logout, GET /api/auth/strategies,
//   GET /api/system/ping,
//   GET /api/data/entity/:entity          (list)
//   GET /api/data/entity/:entity/:id      (read one)
//   POST /api/data/entity/:entity/query   (list with a JSON body)
//   with only `limit`, `offset`, `sort`, `select`, `where` (no `$or`, no dotted keys in `where`).
//
// Refused on purpose:
// - `with=` / `join=` (hole 2): bknd loads related rows without the related entity's policy (`with=users`
//   returned emails and roles).
// - `fn/count`, `fn/exists` (hole 3): they ignore the policy filter. Use a list with `limit=1`: its
//   `meta.count` is filtered (and `meta.total` is rewritten, see `scrubMeta`).
// - `/:entity/:id/:reference`: checks the permission of the first entity and filters with the second's.
// - `$or` in `where` (hole 7): bknd builds `(policy filter AND the rest) OR ($or conditions)`, so
//   `where={"$or":{"title":{"$like":"*"}}}` answered every tenant's rows.
// - dotted keys in `where` (`clients.slug`, `projects.id`; hole 8): bknd joins the named relation on its
//   own, and the policies (policies.ts) filter on the qualified key precisely so that a caller's `where`
//   never merges into them; a caller sending the qualified key would merge again.
// - every write: no non-staff role may write yet (the guard also refuses; this keeps a future policy
//   mistake from opening a door we did not review).
// - staff-only columns (schema.ts INTERNAL_FIELDS: `internal_notes`, `margin_pct`) named anywhere in a data
//   request: a `where` or `sort` on them is an oracle even when the answer leaves them out (like hole 9).
//   Answers are stripped of them too (`scrubAnswer`), so a `select` that slipped through still shows nothing.
// - for a partner, money columns as well (shared/live/visibility.ts MONEY_FIELDS: `budget_mga`): a budget is for
//   staff and the client, the same rule as the live feed. (Money metrics are left out by the partner's policy.)

import { MONEY_FIELDS } from '../shared/live/visibility';
import type { Role } from '../shared/roles';
import { INTERNAL_FIELDS } from './schema';

export type RequestVerdict =
	/** `dataRead`: the answer carries bknd's `meta` and must go through `scrubMeta`. */
	| { ok: true; dataRead: boolean }
	| { ok: false; status: 400 | 403; error: string };

const QUERY_KEYS = new Set(['limit', 'offset', 'sort', 'select', 'where']);

const OPEN_ROUTES = new Set([
	'POST /api/auth/password/login',
	'GET /api/auth/me',
	'GET /api/auth/logout',
	'GET /api/auth/strategies',
	'GET /api/system/ping'
]);

const SEGMENT = '[^/]+';
const LIST = new RegExp(`^/api/data/entity/${SEGMENT}$`);
const READ_ONE = new RegExp(`^/api/data/entity/${SEGMENT}/${SEGMENT}$`);
const QUERY = new RegExp(`^/api/data/entity/${SEGMENT}/query$`);
const FN = new RegExp(`^/api/data/entity/${SEGMENT}/fn/${SEGMENT}$`);
const REFERENCE = new RegExp(`^/api/data/entity/${SEGMENT}/${SEGMENT}/${SEGMENT}$`);

/**
 * Decides whether a non-staff request may go on to bknd. `query` is the URL's search params,
 * `body` the parsed JSON body of a write (including `POST .../query`), `role` the caller's (none: anonymous).
 */
export function nonStaffVerdict(method: string, path: string, query: URLSearchParams, body?: unknown, role?: Role): RequestVerdict {
	// CORS preflights carry no credentials and reach no data handler (bknd's cors middleware answers them).
	if (!path.startsWith('/api/') || method === 'OPTIONS') return { ok: true, dataRead: false };
	if (OPEN_ROUTES.has(`${method} ${path}`)) return { ok: true, dataRead: false };
	const hidden = path.startsWith('/api/data/') ? fieldNamed(hiddenFrom(role), query, body) : undefined;
	if (hidden && ALL_INTERNAL.has(hidden)) return deny(400, `"${hidden}" is for staff only: leave it out of select, sort and where.`);
	if (hidden) return deny(400, `"${hidden}" is for staff and the client only: leave it out of select, sort and where.`);

	if (FN.test(path)) {
		return deny(403, 'fn/count and fn/exists are for staff only: read the list with limit=1 and use meta.count.');
	}
	if (method === 'POST' && QUERY.test(path)) {
		if (!isRecord(body)) return deny(400, 'The query body must be a JSON object.');
		return checkQuery(Object.entries(body));
	}
	if (method === 'GET' && (LIST.test(path) || READ_ONE.test(path))) {
		return checkQuery([...query.entries()]);
	}
	if (REFERENCE.test(path)) {
		return deny(403, 'Related lists (/:entity/:id/:reference) are for staff only: list the related entity with a where filter.');
	}
	return deny(403, 'This route is not available to your role.');
}

function checkQuery(entries: [string, unknown][]): RequestVerdict {
	for (const [key, value] of entries) {
		if (key === 'with' || key === 'join') {
			return deny(400, `"${key}" is for staff only: read the related entity with its own request.`);
		}
		if (!QUERY_KEYS.has(key)) return deny(400, `Unknown query parameter "${key}": use limit, offset, sort, select or where.`);
		const problem = key === 'where' ? whereProblem(value) : undefined;
		if (problem) return deny(400, problem);
	}
	return { ok: true, dataRead: true };
}

/** Why a non-staff `where` (a JSON string from the URL or an object from a body) is refused, if it is. */
function whereProblem(where: unknown): string | undefined {
	let value = where;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined; // bknd refuses unparsable JSON itself
		}
	}
	for (const key of keysDeep(value)) {
		if (key === '$or') return '"$or" in where is for staff only: send one request per alternative.';
		if (key.includes('.')) return `"${key}": dotted fields in where are for staff only (they join, or shadow a policy).`;
	}
	return undefined;
}

function keysDeep(value: unknown): string[] {
	if (Array.isArray(value)) return value.flatMap(keysDeep);
	if (!isRecord(value)) return [];
	return Object.entries(value).flatMap(([key, inner]) => [key, ...keysDeep(inner)]);
}

/**
 * bknd's `meta.total` counts the whole table, every tenant included (hole 3), in lists and even in the 404
 * of a read by id. For non-staff we replace it with `meta.count`, which bknd computes with the policy filter.
 */
export function scrubMeta(body: unknown): unknown {
	if (!isRecord(body) || !isRecord(body.meta)) return body;
	const { meta } = body;
	return { ...body, meta: { ...meta, total: typeof meta.count === 'number' ? meta.count : undefined } };
}

/**
 * What a non-staff caller gets back from a data read: `meta.total` scrubbed, and the columns hidden from `role`
 * removed from every row (staff-only ones, and money for a partner; whichever entity: the names are unique to
 * the columns they protect).
 */
export function scrubAnswer(body: unknown, role?: Role): unknown {
	const scrubbed = scrubMeta(body);
	if (!isRecord(scrubbed) || !('data' in scrubbed)) return scrubbed;
	const hidden = hiddenFrom(role);
	const strip = (row: unknown) => (isRecord(row) ? Object.fromEntries(Object.entries(row).filter(([key]) => !hidden.has(key))) : row);
	return { ...scrubbed, data: Array.isArray(scrubbed.data) ? scrubbed.data.map(strip) : strip(scrubbed.data) };
}

const ALL_INTERNAL: ReadonlySet<string> = new Set(Object.values(INTERNAL_FIELDS).flat());
const NOT_FOR_PARTNERS: ReadonlySet<string> = new Set([...ALL_INTERNAL, ...Object.values(MONEY_FIELDS).flat()]);

/** The columns a non-staff `role` may neither name nor read. */
function hiddenFrom(role: Role | undefined): ReadonlySet<string> {
	return role === 'partner' ? NOT_FOR_PARTNERS : ALL_INTERNAL;
}

/** The first of `fields` named in the query or body (keys or values, nested, JSON-escaped), if any. */
function fieldNamed(fields: ReadonlySet<string>, query: URLSearchParams, body: unknown): string | undefined {
	const texts: string[] = [];
	const collect = (value: unknown): void => {
		if (typeof value === 'string') {
			texts.push(value);
			// `where` arrives as JSON text, where `\u005f` spells `_`: look at the parsed keys and values too.
			const parsed = parseJson(value);
			if (typeof parsed === 'object' && parsed !== null) collect(parsed);
		} else if (Array.isArray(value)) {
			value.forEach(collect);
		} else if (isRecord(value)) {
			for (const [key, inner] of Object.entries(value)) {
				texts.push(key);
				collect(inner);
			}
		}
	};
	for (const [key, value] of query.entries()) {
		texts.push(key);
		collect(value);
	}
	collect(body);
	return [...fields].find((field) => texts.some((text) => text.includes(field)));
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function deny(status: 400 | 403, error: string): RequestVerdict {
	return { ok: false, status, error };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
