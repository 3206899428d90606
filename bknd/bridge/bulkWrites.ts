import type { BkndContext, BkndServer } from '../serverTypes';
import type { LiveBridge } from './LiveBridge';
import { nextRevision } from './revision';
import { isShownEntity, type Row, type ShownEntity } from './toEvent';

// bknd's bulk routes run `insertMany`, `updateWhere` and `deleteWhere`, which emit NO mutator events (docs/bknd.md):
// dataRules.ts cannot stamp their rows and the bridge's listeners never hear of them. This middleware sits
// in front of them (installed after hardening.ts, so only callers allowed to write get here: staff) and:
// - bulk insert (`POST /api/data/entity/<e>` with an array) and bulk update (`PATCH /api/data/entity/<e>`
//   with `{ update, where }`): adds `updated_at` (and on insert `created_at` unless sent) to the body before
//   bknd reads it, so the stamp is written by the same statement as the rows (no window where a row changed
//   without a new revision); once bknd answered, the bridge sweeps right away and finds those rows;
// - bulk delete (`DELETE /api/data/entity/<e>` with a where): records a delete intent for every row the where
//   selects BEFORE forwarding, then turns the rows bknd answers as deleted into delete events. See
//   DeleteIntents.ts for why (a crash between the delete and the outbox must not lose the events).
// Stamping runs with or without a bridge: `updated_at` is a data rule, the bridge only reads it.

const BULK_PATH = /^\/api\/data\/entity\/([^/]+)\/?$/;

/** Installs the middleware on bknd's server (call from `options.manager.onServerInit`, after hardening). */
export function installBulkWrites(server: BkndServer, bridge?: LiveBridge): void {
	server.use('*', async (c, next) => {
		const method = c.req.method.toUpperCase();
		const entity = BULK_PATH.exec(c.req.path)?.[1];
		if (!entity || !isShownEntity(entity) || !['POST', 'PATCH', 'DELETE'].includes(method)) return next();
		const body = await jsonBody(c);

		if (method === 'DELETE') {
			const intended = bridge && isRecord(body) ? await bridge.beforeBulkDelete(entity, body) : [];
			await next();
			await bridge?.afterBulkDelete(entity, intended, c.res.ok ? await answeredRows(c) : 'not-deleted');
			return;
		}

		const stamped = stampBulkBody(entity, method, body);
		if (!stamped) return next();
		replaceBody(c, stamped);
		await next();
		if (bridge && c.res.ok) void bridge.sweepNow();
	});
}

/**
 * The body with revisions added, or undefined when it is not a bulk write bknd would accept (a single-row
 * insert is stamped by dataRules.ts's listener instead).
 *
 * @example stampBulkBody('projects', 'PATCH', { update: { progress: 5 }, where: { status: 'review' } })
 *   // { update: { progress: 5, updated_at: '2026-…' }, where: { status: 'review' } }
 */
export function stampBulkBody(entity: ShownEntity, method: string, body: unknown, revision: string = nextRevision()): unknown {
	if (method === 'POST' && Array.isArray(body)) {
		return body.map((row) => (isRecord(row) ? { ...row, created_at: row.created_at ?? revision, updated_at: revision } : row));
	}
	if (method === 'PATCH' && isRecord(body) && isRecord(body.update)) {
		return { ...body, update: { ...body.update, updated_at: revision } };
	}
	void entity;
	return undefined;
}

/** Makes bknd's handler (and its validator) read `body` instead of the request's bytes. */
function replaceBody(c: BkndContext, body: unknown): void {
	// Hono caches the body on the request (`bodyCache`, public) and its `json()` re-parses a cached `text`, so
	// replacing the cache hands the handler a different body without rebuilding the Request. Hono types the
	// cache's values as the bodies but stores (and awaits) promises of them.
	c.req.bodyCache = { text: Promise.resolve(JSON.stringify(body)) as unknown as string };
}

async function jsonBody(c: BkndContext): Promise<unknown> {
	try {
		return JSON.parse(await c.req.text());
	} catch {
		return undefined;
	}
}

/** The rows of bknd's answer (`{ data: [...] }`), without consuming the response; null if unreadable. */
async function answeredRows(c: BkndContext): Promise<Row[] | null> {
	try {
		const answer = (await c.res.clone().json()) as { data?: unknown };
		return Array.isArray(answer.data) ? (answer.data.filter(isRecord) as Row[]) : null;
	} catch {
		return null;
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
