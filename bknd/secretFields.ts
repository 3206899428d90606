// bknd hides `users.strategy_value` (the bcrypt hash) from every read, `select` and `sort`, but still lets a
// `where` test it: `where={"strategy_value":{"$like":"$2a$10$a*"}}` answers whether the hash starts that way,
// so anyone who may read users (designers) could extract every hash one character at a time and crack them
// offline. Found while building this; not in docs/bknd.md. Only an admin may mention these columns at all.

/** Columns nobody but an admin may name in a query (where, sort, select, with...). */
export const SECRET_FIELDS: readonly string[] = ['strategy_value'];

/** True when the URL's query or a JSON body names a secret column anywhere (keys or values, nested, escaped). */
export function mentionsSecretField(query: URLSearchParams, body: unknown): boolean {
	for (const [key, value] of query.entries()) {
		if (mentions(key) || mentions(value) || mentions(parseJson(value))) return true;
	}
	return mentions(body);
}

function mentions(value: unknown): boolean {
	if (typeof value === 'string') return SECRET_FIELDS.some((field) => value.includes(field));
	if (Array.isArray(value)) return value.some(mentions);
	if (typeof value === 'object' && value !== null) {
		return Object.entries(value).some(([key, inner]) => mentions(key) || mentions(inner));
	}
	return false;
}

function parseJson(value: string): unknown {
	try {
		return JSON.parse(value);
	} catch {
		return undefined;
	}
}
