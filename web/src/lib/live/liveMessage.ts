import type { LiveEntity, LiveOp, LoggedEvent } from '../../../../shared/live/events';
import type { LiveServerMessage } from '../../../../shared/live/wire';

// Reads a live room's frame in the browser. Written by hand rather than with the zod schemas of shared/live:
// those would add zod to every dashboard page (its budget is 80 kB of gzipped JavaScript). The room validated
// each event with them when it was published; this checks the shape again so a broken frame is dropped, not applied.

// `Record<LiveEntity, true>` makes the compiler fail here when shared/live/events.ts gains an entity or op.
const ENTITIES: Record<LiveEntity, true> = { projects: true, clients: true, leads: true, project_shares: true, project_metrics: true, activity: true };
const OPS: Record<LiveOp, true> = { insert: true, update: true, delete: true };
// bknd columns are snake_case, activity rows camelCase (`projectId`, `actorName`), as shared/live/events.ts allows.
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The message of a text frame, or `null` for anything malformed (the caller ignores it). */
export function parseLiveMessage(text: string): LiveServerMessage | null {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		return null;
	}
	if (!isObject(data)) return null;
	switch (data.type) {
		case 'hello':
			return typeof data.room === 'string' && isSeq(data.seq) ? { type: 'hello', room: data.room, seq: data.seq } : null;
		case 'reset':
			return isSeq(data.seq) && (data.reason === 'too-old' || data.reason === 'ahead') ? { type: 'reset', seq: data.seq, reason: data.reason } : null;
		case 'revoked':
			return typeof data.projectId === 'number' && Number.isSafeInteger(data.projectId) ? { type: 'revoked', projectId: data.projectId } : null;
		case 'auth-ok':
			return isSeq(data.expiresAt) ? { type: 'auth-ok', expiresAt: data.expiresAt } : null;
		case 'event': {
			if (!isSeq(data.seq)) return null;
			const event = parseEvent(data.event, data.seq);
			return event ? { type: 'event', seq: data.seq, event } : null;
		}
		default:
			return null;
	}
}

function parseEvent(value: unknown, seq: number): LoggedEvent | null {
	if (!isObject(value)) return null;
	const { id, tenant, entity, op, row, at } = value;
	if (typeof id !== 'string' || id.length > 160) return null;
	if (tenant !== null && typeof tenant !== 'string') return null;
	if (typeof entity !== 'string' || !Object.hasOwn(ENTITIES, entity)) return null;
	if (typeof op !== 'string' || !Object.hasOwn(OPS, op)) return null;
	if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return null;
	if (!isObject(row)) return null;
	const clean: LoggedEvent['row'] = {};
	for (const [key, field] of Object.entries(row)) {
		if (!FIELD.test(key) || FORBIDDEN_KEYS.has(key)) continue;
		if (field === null || typeof field === 'string' || typeof field === 'boolean' || (typeof field === 'number' && Number.isFinite(field))) clean[key] = field;
	}
	return { seq, id, tenant, entity: entity as LiveEntity, op: op as LiveOp, row: clean, at };
}
