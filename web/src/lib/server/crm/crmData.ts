import type { z } from 'zod';
import { api, call } from '../bknd';
import type { ServerEnv } from '../env';

// The CRM's reads and writes at bknd, always with the signed-in staff member's own token (bknd's guard decides,
// as for every other page). Reads answer parsed rows; writes answer a result the form actions turn into field
// errors or a message. bknd being down throws `BkndUnavailableError` (from ../bknd.ts `call`).

type Query = Record<string, unknown>;
type Body = Record<string, unknown>;

/** Rows of one page of a list, and how many rows match in all (bknd's `meta.count`, which follows the filter). */
export interface RowsPage<T> {
	rows: T[];
	count: number;
}

/** What a write answered: the row as bknd stored it, or bknd's refusal (status and its message, for the logs). */
export type WriteResult<T> = { ok: true; row: T } | { ok: false; status: number; message: string };

/** Every entity's rows are parsed; a malformed one is skipped with a warning rather than breaking the page. */
function parseRows<T>(schema: z.ZodType<T>, data: unknown, entity: string): T[] {
	if (!Array.isArray(data)) return [];
	const out: T[] = [];
	for (const row of data) {
		const parsed = schema.safeParse(row);
		if (parsed.success) out.push(parsed.data);
		else console.warn(`[crm] skipped a malformed ${entity} row`, parsed.error.issues[0]);
	}
	return out;
}

/** The longest query string sent in a GET; a longer query goes as a JSON body (as the SDK's `readMany` does). */
const MAX_QUERY_STRING = 1000;

/**
 * bknd's list request for `query`, its values properly encoded. The SDK's `readMany` puts an object query in the URL
 * unencoded, so bknd URL-decoded a search such as `%fe` (ferme) into a byte and refused it (503), and `2025` (sent
 * as `%2025%`) into ` 25%`. A GET, not always `POST …/query` with a JSON body: bknd/hardening.ts counts POST as a
 * write, and `users` writes are admin-only, which a designer's list of users would meet.
 */
function listRequest(env: ServerEnv, token: string, entity: string, query: Query) {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		for (const one of Array.isArray(value) ? value : [value]) {
			if (one !== undefined) params.append(key, typeof one === 'object' && one !== null ? JSON.stringify(one) : String(one));
		}
	}
	const data = api(env, token).data;
	return params.toString().length <= MAX_QUERY_STRING ? data.get(['entity', entity], params) : data.post(['entity', entity, 'query'], query);
}

/** One page of `entity` rows matching `query` (`where`, `sort`, `limit`, `offset`, `select`), and the count of all matches. */
export async function readPage<T>(env: ServerEnv, token: string, entity: string, schema: z.ZodType<T>, query: Query): Promise<RowsPage<T>> {
	const res = await call(`list ${entity}`, () => listRequest(env, token, entity, query));
	if (!res.ok) {
		console.warn(`[crm] bknd refused to list ${entity}: ${res.status}`);
		return { rows: [], count: 0 };
	}
	const rows = parseRows(schema, res.data, entity);
	const meta = (res.body as { meta?: { count?: unknown } } | null)?.meta;
	return { rows, count: typeof meta?.count === 'number' ? meta.count : rows.length };
}

/** Every `entity` row matching `query`, up to `limit` (1000 by default: a whole agency's projects fit). */
export async function readAll<T>(env: ServerEnv, token: string, entity: string, schema: z.ZodType<T>, query: Query = {}): Promise<T[]> {
	return (await readPage(env, token, entity, schema, { limit: 1000, ...query })).rows;
}

/** One row by id, or `null` when it does not exist. */
export async function readById<T extends { id: number }>(env: ServerEnv, token: string, entity: string, id: number, schema: z.ZodType<T>): Promise<T | null> {
	const res = await call(`read ${entity}`, () => api(env, token).data.readOne(entity, id));
	if (!res.ok) return null;
	const parsed = schema.safeParse(res.data);
	// docs/bknd.md hole 5: a filtered read by id may answer another row; only the asked id counts.
	return parsed.success && parsed.data.id === id ? parsed.data : null;
}

function refusal(res: { status: number; body: unknown }): { ok: false; status: number; message: string } {
	const message = (res.body as { error?: unknown } | null)?.error;
	return { ok: false, status: res.status, message: typeof message === 'string' ? message : '' };
}

function written<T>(res: { ok: boolean; status: number; data: unknown; body: unknown }, schema: z.ZodType<T>, entity: string): WriteResult<T> {
	if (!res.ok) return refusal(res);
	// bknd answers 200 without `data` to a PATCH of a row that does not exist (the SDK then hands the whole body as data).
	const data = (res.body as { data?: unknown } | null)?.data;
	if (data === undefined || data === null) return { ok: false, status: 404, message: `${entity}: no such row` };
	const parsed = schema.safeParse(data);
	if (!parsed.success) return { ok: false, status: 502, message: `${entity}: unexpected answer from bknd` };
	return { ok: true, row: parsed.data };
}

/** Inserts one row (one event for the live bridge). */
export async function insertRow<T>(env: ServerEnv, token: string, entity: string, schema: z.ZodType<T>, body: Body): Promise<WriteResult<T>> {
	const res = await call(`create ${entity}`, () => api(env, token).data.createOne(entity, body));
	return written(res, schema, entity);
}

/** Changes one row by id (never a bulk update: bknd emits no events for those, and dashboards would miss it). */
export async function updateRow<T>(env: ServerEnv, token: string, entity: string, id: number, schema: z.ZodType<T>, body: Body): Promise<WriteResult<T>> {
	const res = await call(`update ${entity}`, () => api(env, token).data.updateOne(entity, id, body));
	return written(res, schema, entity);
}

/** Deletes one row by id. */
export async function deleteRow(env: ServerEnv, token: string, entity: string, id: number): Promise<{ ok: true } | { ok: false; status: number; message: string }> {
	const res = await call(`delete ${entity}`, () => api(env, token).data.deleteOne(entity, id));
	return res.ok ? { ok: true } : refusal(res);
}
