import { DELIVERY_LIMITS } from '../../shared/live/delivery';
import { liveEventSchema, rowEventId, type LiveEvent, type LiveOp } from '../../shared/live/events';
import { budgetEstimateOf } from '../../shared/crm/leadAnalysis';
import { canonicalRevision } from './revision';

// What a bknd row becomes when it is published to live rooms. Pure: the tenant is resolved by the caller
// (rowTenant.ts). A row is REBUILT from an allowlist per entity, never filtered by a deny list, so a column
// added to schema.ts later stays out of the rooms until someone decides dashboards may show it. Staff see
// everything published here (internal notes and margins included); the rooms cut each event down per viewer
// with shared/live/visibility.ts. Never published: users (emails, password hashes), partners' records, a
// lead's whole analysis blob (only its short summary, fit and budget estimate), `granted_by` (a user id).

/** The entities whose changes dashboards show, in the order the sweeper reads them. */
export const SHOWN_ENTITIES = ['clients', 'projects', 'project_shares', 'project_metrics', 'leads'] as const;
export type ShownEntity = (typeof SHOWN_ENTITIES)[number];

export function isShownEntity(name: string): name is ShownEntity {
	return (SHOWN_ENTITIES as readonly string[]).includes(name);
}

/** Columns published per entity (the rest of the row never leaves bknd). */
const PUBLISHED: Record<ShownEntity, readonly string[]> = {
	clients: ['id', 'name', 'slug', 'industry', 'country', 'contact_name', 'contact_email', 'contact_phone', 'created_at', 'updated_at'],
	projects: [
		'id', 'clients_id', 'title', 'description', 'category', 'status', 'progress', 'start_date', 'due_date', 'budget_mga',
		'figma_file_key', 'internal_notes', 'margin_pct', 'created_at', 'updated_at'
	],
	project_shares: ['id', 'projects_id', 'partners_id', 'access', 'granted_at', 'revoked_at', 'created_at', 'updated_at'],
	project_metrics: ['id', 'projects_id', 'key', 'value', 'target', 'unit', 'date', 'created_at', 'updated_at'],
	leads: [
		'id', 'clients_id', 'title', 'company', 'contact_name', 'email', 'phone', 'status', 'source', 'industry', 'analysis_status',
		'analysis_source', 'created_at', 'updated_at'
	]
};

/** liveRowSchema caps strings at 10,000 characters; a longer description is cut rather than the event lost. */
const MAX_STRING = 10_000;
/** When a whole event would pass the room's per-event limit, its strings are cut to this. */
const MAX_STRING_IN_LARGE_EVENT = 1_000;
/** A lead's analysis is free-form JSON of any size: dashboards get its one-line summary and fit only. */
const ANALYSIS_SUMMARY_MAX = 280;

export type Row = Record<string, unknown>;
type LiveRow = LiveEvent['row'];

/** The row as published: allowlisted columns, flat JSON values, bounded strings. */
export function publishedRow(entity: ShownEntity, row: Row, maxString: number = MAX_STRING): LiveRow {
	const out: LiveRow = {};
	for (const field of PUBLISHED[entity]) {
		if (!Object.hasOwn(row, field)) continue;
		out[field] = flatValue(row[field], maxString);
	}
	if (entity === 'leads') {
		const analysis = typeof row.analysis === 'string' ? parseJson(row.analysis) : row.analysis;
		if (isRecord(analysis)) {
			if (typeof analysis.summary === 'string') out.analysis_summary = analysis.summary.slice(0, ANALYSIS_SUMMARY_MAX);
			if (typeof analysis.fit === 'string') out.analysis_fit = analysis.fit.slice(0, 40);
		}
		// What a pipeline card and the staff dashboard's pipeline value need, so they follow a lead from its events
		// alone (the same figures as the page's snapshot: web/src/lib/server/crm/leads.ts cardRow).
		out.has_analysis = isRecord(analysis);
		out.estimate_mga = isRecord(analysis) ? budgetEstimateOf(analysis) : null;
	}
	return out;
}

/** The row's revision (its `updated_at`), canonical, or null for a row written before stamping existed. */
export function rowRevision(row: Row): string | null {
	return canonicalRevision(row.updated_at);
}

/**
 * What a sweep calls a row it finds: an insert while it was never updated (inserts stamp `created_at` and
 * `updated_at` with the same revision, and later writes always get a later one), an update otherwise. This
 * is what the listener said for the same write, so the sweep reproduces its event id.
 */
export function sweptOp(row: Row): LiveOp {
	const created = canonicalRevision(row.created_at);
	return created !== null && created === rowRevision(row) ? 'insert' : 'update';
}

/**
 * The outbox's de-duplication key of one row version: the same for the listener and a sweep whatever op
 * they name, so the first to reach the outbox wins and the other is ignored.
 */
export function changeKey(entity: ShownEntity, rowId: number | string, op: LiveOp, revision: string): string {
	return op === 'delete' ? `${entity}:${rowId}:delete:${revision}` : `${entity}:${rowId}:write:${revision}`;
}

export interface BuiltEvent {
	event: LiveEvent;
	/** See changeKey. */
	key: string;
}

/**
 * The live event of one change, or an error saying why the row cannot be published (logged by the caller).
 * `at` defaults to the row's revision; a delete passes the time it was seen.
 *
 * @example toEvent('projects', 'update', row, 'ferme-verte') // { event: { id: 'projects:3:update:2026-…', … }, key }
 */
export function toEvent(entity: ShownEntity, op: LiveOp, row: Row, tenant: string | null, at?: string): BuiltEvent | { error: string } {
	const rowId = row.id;
	if (typeof rowId !== 'number' && typeof rowId !== 'string') return { error: `${entity} row without an id` };
	const revision = rowRevision(row) ?? at ?? null;
	if (revision === null) return { error: `${entity} ${rowId}: no updated_at to name the event by` };
	const event = { id: rowEventId(entity, rowId, op, revision), tenant, entity, op, row: publishedRow(entity, row), at: at ?? revision };
	// The room refuses (413) an event over its per-event limit for good: cut long texts rather than lose it.
	if (JSON.stringify(event).length > DELIVERY_LIMITS.maxEventChars) event.row = publishedRow(entity, row, MAX_STRING_IN_LARGE_EVENT);
	const parsed = liveEventSchema.safeParse(event);
	if (!parsed.success) return { error: `${entity} ${rowId}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
	return { event: parsed.data, key: changeKey(entity, rowId, op, revision) };
}

function flatValue(value: unknown, maxString: number): string | number | boolean | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'boolean') return value;
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'string') return value.slice(0, maxString);
	// Nested values (JSON columns) are not dashboard fields; a published column never holds one today.
	return null;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
