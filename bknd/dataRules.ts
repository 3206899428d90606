import { DatabaseEvents, Exception, type App } from 'bknd';
import { isTenantSlug } from '../shared/tenants';
import { nextRevision } from './bridge/revision';
import { isShownEntity } from './bridge/toEvent';

// Rules bknd's field types cannot express, checked in sync listeners on the mutator's *before* events: they
// run for every write path (REST, server code, the seed) and stop the write when they throw; bknd answers
// an `Exception` with its status code. (Bulk inserts and updates emit no events, docs/bknd.md: only staff can
// send those, the CRM does not, and the slug, budget and default rules are not applied to them.)
//
// - A client's slug is its subdomain (`<slug>.fata.plus`) and its live room name: it must follow
//   shared/tenants.ts (DNS label, lower case, not reserved: `api`, `admin`, `fataplus`...). The unique index
//   on `clients.slug` is the real guarantee against duplicates; the lookup here only gives a clear 409. Once the
//   client has projects its slug cannot change (409).
// - `budget_mga` is whole ariary: bknd's number field ignores `multipleOf`.
// - `updated_at` is stamped on every insert and update of the entities dashboards show (and `created_at` on
//   insert when the caller did not send it), whatever the caller sent: it is the row's revision, which names
//   its live events (bridge/revision.ts). Bulk inserts and updates emit no events: bridge/bulkWrites.ts stamps
//   their bodies instead.
// - Enum defaults: bknd's `enumm()` builder drops `default_value`, so an insert without one gets it here.

type Row = Record<string, unknown>;

/** Values an insert gets when it does not send the column. */
const INSERT_DEFAULTS: Readonly<Record<string, Row>> = {
	projects: { status: 'intake' },
	project_shares: { access: 'viewer' },
	leads: { status: 'new' }
};

/** Registers the listeners (idempotent: bknd keeps one listener per id). */
export function registerDataRules(app: App): void {
	app.emgr.onEvent(
		DatabaseEvents.MutatorInsertBefore,
		async (event) => {
			const { entity, data } = event.params;
			checkBudget(entity.name, data);
			if (!INSERT_DEFAULTS[entity.name] && !isShownEntity(entity.name)) return;
			const filled: Row = { ...data };
			for (const [column, value] of Object.entries(INSERT_DEFAULTS[entity.name] ?? {})) filled[column] ??= value;
			if (entity.name === 'clients') await checkClientSlug(app, data.slug, undefined);
			if (isShownEntity(entity.name)) {
				// The same revision for both: that is how a later sweep tells an insert from an update (bridge/toEvent.ts).
				filled.updated_at = nextRevision();
				filled.created_at ??= filled.updated_at;
			}
			// Returning data from a sync *before* listener replaces what bknd inserts. bknd validates it more strictly
			// than a request body: a JSON column left out makes it "invalid" and the return is silently dropped.
			for (const field of entity.fields) if (field.type === 'json' && filled[field.name] === undefined) filled[field.name] = null;
			return filled;
		},
		{ mode: 'sync', id: 'fataplus-data-rules-insert' }
	);
	app.emgr.onEvent(
		DatabaseEvents.MutatorUpdateBefore,
		async (event) => {
			const { entity, entityId, data } = event.params;
			checkBudget(entity.name, data);
			if (entity.name === 'clients' && 'slug' in data) {
				await checkClientSlug(app, data.slug, entityId);
				await checkSlugLocked(app, data.slug, entityId);
			}
			// Returned data replaces what bknd writes: the stamp goes into the same UPDATE as the change.
			if (isShownEntity(entity.name)) return { ...data, updated_at: nextRevision() };
		},
		{ mode: 'sync', id: 'fataplus-data-rules-update' }
	);
	// bknd checks what a *before* listener returns against EVERY fillable field, and a JSON field left out of a
	// partial update is "invalid" (JSON.stringify(undefined)): for entities with JSON columns (leads: `brief`,
	// `analysis`) the stamp above is dropped with a warning, so a lead's updates kept its insert revision and the
	// live rooms dropped them as duplicates. Those updates are stamped here, right after the write; the event's row
	// is the object bknd answers and the bridge's async listener reads, so both carry the new revision.
	app.emgr.onEvent(
		DatabaseEvents.MutatorUpdateAfter,
		async (event) => {
			const { entity, data, changed } = event.params as { entity: { name: string }; data: Row | undefined; changed: Row | undefined };
			if (!isShownEntity(entity.name) || changed?.updated_at !== undefined || !data || data.id === undefined) return;
			const stamp = nextRevision();
			await app.em.connection.kysely.updateTable(entity.name).set({ updated_at: stamp }).where('id', '=', data.id as number).execute();
			data.updated_at = stamp;
		},
		{ mode: 'sync', id: 'fataplus-data-rules-update-stamp' }
	);
}

async function checkClientSlug(app: App, slug: unknown, ownId: unknown): Promise<void> {
	if (typeof slug !== 'string' || !isTenantSlug(slug)) {
		throw new Exception(
			`Invalid client slug ${JSON.stringify(slug)}: use 1-40 lower-case letters, digits or inner hyphens, and not a reserved name (shared/tenants.ts).`,
			400
		);
	}
	const taken = (await app.em.connection.kysely.selectFrom('clients').select('id').where('slug', '=', slug).executeTakeFirst()) as
		| { id: number }
		| undefined;
	if (taken && String(taken.id) !== String(ownId)) {
		throw new Exception(`The slug "${slug}" is already used by another client: choose another one.`, 409);
	}
}

/**
 * A client's slug cannot change once it has projects: their rooms (`<slug>.<projectId>`), live room, review
 * documents and every link sent to the client are named after it. Checked here so no write path skips it (the
 * CRM form says so first).
 */
async function checkSlugLocked(app: App, slug: unknown, id: unknown): Promise<void> {
	const clientId = Number(id);
	if (!Number.isSafeInteger(clientId)) return;
	const current = (await app.em.connection.kysely.selectFrom('clients').select('slug').where('id', '=', clientId).executeTakeFirst()) as
		| { slug: string }
		| undefined;
	if (!current || current.slug === slug) return;
	const project = await app.em.connection.kysely.selectFrom('projects').select('id').where('clients_id', '=', clientId).limit(1).executeTakeFirst();
	if (project) throw new Exception(`The slug of a client with projects cannot change (its rooms and links are named after "${current.slug}").`, 409);
}

function checkBudget(entity: string, data: Row): void {
	if (entity !== 'projects' || data.budget_mga === undefined || data.budget_mga === null) return;
	if (!Number.isInteger(data.budget_mga)) {
		throw new Exception(`budget_mga must be a whole number of ariary, got ${JSON.stringify(data.budget_mga)}.`, 400);
	}
}
