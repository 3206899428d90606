import type { Sql } from '../sql/Sql';
import { isTenantSlug } from '../../shared/tenants';
import type { Row, ShownEntity } from './toEvent';

// Which tenant (client slug) a row belongs to, i.e. which tenant live room its event goes to besides
// `fataplus`: a client is its own tenant; projects and leads through `clients_id` (a lead that never became
// a client has none: staff only); project shares and metrics through their project's client. Read with
// plain SQL on bknd's database (sql/Sql.ts) (no guard: this decides who is told, it is not a caller's read).

/** The client slug a row belongs to, or null (the event then reaches only the staff room). */
export async function rowTenant(db: Sql, entity: ShownEntity, row: Row): Promise<string | null> {
	switch (entity) {
		case 'clients':
			return slugOrNull(row.slug);
		case 'projects':
		case 'leads':
			return clientSlug(db, row.clients_id);
		case 'project_shares':
		case 'project_metrics':
			return projectClientSlug(db, row.projects_id);
		default: {
			const never: never = entity;
			throw new Error(`no tenant rule for ${String(never)}`);
		}
	}
}

async function clientSlug(db: Sql, clientId: unknown): Promise<string | null> {
	const id = positiveId(clientId);
	if (id === null) return null;
	const result = await db.execute({ sql: 'SELECT slug FROM clients WHERE id = ?', args: [id] });
	return slugOrNull(result.rows[0]?.slug);
}

async function projectClientSlug(db: Sql, projectId: unknown): Promise<string | null> {
	const id = positiveId(projectId);
	if (id === null) return null;
	const result = await db.execute({
		sql: 'SELECT c.slug AS slug FROM projects p JOIN clients c ON c.id = p.clients_id WHERE p.id = ?',
		args: [id]
	});
	return slugOrNull(result.rows[0]?.slug);
}

/** A slug that could not name a tenant room (legacy data) sends the event to staff only. */
function slugOrNull(value: unknown): string | null {
	return typeof value === 'string' && isTenantSlug(value) ? value : null;
}

function positiveId(value: unknown): number | null {
	const n = Number(value);
	return value !== null && value !== undefined && Number.isSafeInteger(n) && n > 0 ? n : null;
}
