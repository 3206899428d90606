import { TENANT_KEYS } from './schema';

// bknd checks an update's filter policy against the row as STORED, not against the new values: a caller
// allowed to edit its own project could `PATCH {"clients_id": 2}` and move it into another tenant (docs/bknd.md
// hole 4). So a non-staff write must not carry a tenant key at all; staff may re-assign rows.

/**
 * The tenant keys that a write body for `entity` tries to set, or an empty list.
 * Looks at a single-row body, each row of a bulk insert, and the `update` of a bulk update.
 *
 * @example tenantKeysIn('projects', { title: 'x', clients_id: 2 }) // ['clients_id']
 */
export function tenantKeysIn(entity: string, body: unknown): string[] {
	const keys = TENANT_KEYS[entity];
	if (!keys) return [];
	const rows = Array.isArray(body) ? body : [body, isRecord(body) ? body.update : undefined];
	const found = new Set<string>();
	for (const row of rows) {
		if (!isRecord(row)) continue;
		for (const key of keys) if (Object.hasOwn(row, key)) found.add(key);
	}
	return [...found];
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
