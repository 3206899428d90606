import { Exception, type App } from 'bknd';
import { sql } from 'kysely';
import { convertLeadSchema, type ConvertAnswer, type ConvertLead, type ConvertRefusal } from '../../shared/crm/convert';
import { budgetEstimateOf, readAnalysis } from '../../shared/crm/leadAnalysis';
import { PROJECT_CATEGORIES, type ProjectCategory } from '../../shared/entities';
import type { BkndContext, BkndServer } from '../serverTypes';
import { asStaff, createAccountRow, createPasswordLink, deleteAccount, idParam, readBody, refuse, type StaffCaller } from './users';

// `POST /api/fataplus/leads/:id/convert` (staff): a won lead becomes a client (tenant), its first project
// (status `planning`) and an invited client user, and the answer carries that user's one-time password link.
//
// All or nothing, without transactions (bknd has none on this connection, docs/bknd.md). Every write goes through
// `app.em.mutator`, so dataRules.ts stamps it and the live bridge hears it, in this order:
//   1. the client  2. the project  3. the user (+ its link)  4. the lead's `clients_id` (the commit point)
// When a step fails, the steps already done are undone in reverse order and the lead is left as it was (it is
// written only in step 4). The likely failure is step 3: the address already belongs to an account.
//
// A crash (or a failed undo) can leave steps 1-3 without step 4. A journal row per lead in a plain table
// (`bknd_lead_conversions`; "bknd" in the name keeps bknd's schema sync away from it) is written BEFORE step 1
// with the chosen slug and address, and gets each new id as soon as it exists; it is deleted after step 4. So
// a journal row for a lead that no request is converting means an interrupted conversion: the next request for
// that lead first undoes what the row (or, for the id not yet recorded, the slug and address) points to, then
// starts again. A lead whose `clients_id` is set is converted: asking again answers 409 with its client's slug
// and writes nothing. One bknd process serves a database (README.md), so "no request is converting it" is an
// in-memory set.

export const CONVERT_ROUTE = '/api/fataplus/leads/:id/convert';

/** The journal of conversions in progress (see above). */
export const CONVERSION_JOURNAL = 'bknd_lead_conversions';
const JOURNAL = CONVERSION_JOURNAL;
const LEAD_STATUS_TO_CONVERT = 'won';

interface LeadRow {
	id: number;
	title: string;
	status: string | null;
	industry: string | null;
	phone: string | null;
	analysis: unknown;
	clients_id: number | null;
}

interface JournalRow {
	lead_id: number;
	slug: string;
	email: string;
	started_at: number;
	client_id: number | null;
	project_id: number | null;
	user_id: number | null;
}

/** A step refused for a reason the staff member can act on (the rest are `failed`). */
class ConvertRefused extends Error {
	constructor(
		readonly status: 404 | 409,
		readonly code: ConvertRefusal,
		message: string
	) {
		super(message);
	}
}

const converting = new WeakMap<App, Set<number>>();
const journalReady = new WeakMap<App, Promise<void>>();

/** Registers the convert route (call from `options.manager.onServerInit`, before hardening). */
export function installConvertRoute(server: BkndServer, _options: { serviceSecret?: string }): void {
	server.post(CONVERT_ROUTE, (c) => asStaff(c, (caller) => convert(c, caller)));
}

async function convert(c: BkndContext, caller: StaffCaller): Promise<Response> {
	const app = c.get('app') as App;
	const leadId = idParam(c.req.param('id'));
	if (leadId === null) return refuse<ConvertRefusal>(c, 404, 'not_found', 'No such lead.');
	const body = await readBody(c, convertLeadSchema);
	if (!body.ok) return body.answer;

	const running = converting.get(app) ?? new Set<number>();
	converting.set(app, running);
	if (running.has(leadId)) return refuse<ConvertRefusal>(c, 409, 'in_progress', 'This lead is being converted right now.');
	running.add(leadId);
	try {
		const made = await convertLead(app, leadId, body.value, caller);
		return c.json(made, 201, { 'cache-control': 'no-store' });
	} catch (error) {
		if (error instanceof ConvertRefused) {
			const slug = error.code === 'already_converted' ? await convertedSlug(app, leadId) : undefined;
			return refuse<ConvertRefusal>(c, error.status, error.code, error.message, slug ? { slug } : {});
		}
		console.error(`[convert] lead ${leadId}:`, error);
		return refuse<ConvertRefusal>(c, 500, 'failed', 'The conversion failed and was undone; nothing was created.');
	} finally {
		running.delete(leadId);
	}
}

/** Runs the four steps for one lead; throws `ConvertRefused` (or anything else) after undoing what it made. */
export async function convertLead(app: App, leadId: number, form: ConvertLead, caller: StaffCaller): Promise<ConvertAnswer> {
	await ensureJournal(app);
	const db = app.em.connection.kysely;
	const lead = (await db
		.selectFrom('leads')
		.select(['id', 'title', 'status', 'industry', 'phone', 'analysis', 'clients_id'])
		.where('id', '=', leadId)
		.executeTakeFirst()) as LeadRow | undefined;
	if (!lead) throw new ConvertRefused(404, 'not_found', 'No such lead.');

	const leftover = await readJournal(app, leadId);
	if (leftover && lead.clients_id) await deleteJournal(app, leadId); // step 4 was done: only the clean-up was missed
	else if (leftover) await undoJournal(app, leftover, { searchUnrecorded: true }); // interrupted: undo, then start again

	if (lead.clients_id) throw new ConvertRefused(409, 'already_converted', 'This lead has already become a client.');
	if (lead.status !== LEAD_STATUS_TO_CONVERT) throw new ConvertRefused(409, 'not_won', 'Only a won lead can become a client.');
	if (await db.selectFrom('clients').select('id').where('slug', '=', form.slug).executeTakeFirst()) {
		throw new ConvertRefused(409, 'slug_taken', `The slug "${form.slug}" is already used by another client.`);
	}

	const journal: JournalRow = { lead_id: leadId, slug: form.slug, email: form.contactEmail, started_at: Date.now(), client_id: null, project_id: null, user_id: null };
	await sql`INSERT INTO ${sql.table(JOURNAL)} (lead_id, slug, email, started_at) VALUES (${leadId}, ${form.slug}, ${form.contactEmail}, ${journal.started_at})`.execute(db);
	try {
		const client = await insert(app, 'clients', {
			name: form.clientName,
			slug: form.slug,
			industry: lead.industry,
			contact_name: form.contactName,
			contact_email: form.contactEmail,
			contact_phone: lead.phone
		}).catch((error: unknown) => {
			// dataRules.ts (or the unique index) refused the slug: someone took it since the lookup above.
			if ((error instanceof Exception && error.code === 409) || /UNIQUE constraint failed: clients\.slug/.test(String(error))) {
				throw new ConvertRefused(409, 'slug_taken', `The slug "${form.slug}" is already used by another client.`);
			}
			throw error;
		});
		await record(app, journal, 'client_id', client.id);

		const analysis = readAnalysis(lead.analysis);
		const project = await insert(app, 'projects', {
			clients_id: client.id,
			title: lead.title,
			description: analysis?.summary ?? null,
			category: categoryOf(analysis?.category ?? null),
			status: 'planning',
			progress: 0,
			budget_mga: budgetEstimateOf(lead.analysis)
		});
		await record(app, journal, 'project_id', project.id);

		const account = await createAccountRow(app, { email: form.contactEmail, name: form.contactName, role: 'client', clientId: client.id, partnerId: null });
		if (account === 'email_taken') {
			throw new ConvertRefused(409, 'email_taken', `An account already uses ${form.contactEmail}: choose another address for the client's user.`);
		}
		await record(app, journal, 'user_id', account.id);
		const link = await createPasswordLink(app, account.id, caller.id);

		// The commit point: from here the lead points at its client and the conversion is done.
		await app.em.mutator('leads' as never).updateOne(leadId as never, { clients_id: client.id } as never);
		await deleteJournal(app, leadId);
		return {
			client: { id: client.id, slug: form.slug, name: form.clientName },
			project: { id: project.id, title: lead.title },
			user: { id: account.id, email: account.email },
			link: { token: link.token, expiresAt: link.expiresAt }
		};
	} catch (error) {
		// Undo what this request made (its ids are in `journal` as soon as each row exists); if the undo itself
		// fails, the journal row stays and the next attempt for this lead finishes it.
		await undoJournal(app, journal, { searchUnrecorded: false }).catch((undoError: unknown) => console.error(`[convert] lead ${leadId}: undo failed, left for the next attempt:`, undoError));
		throw error;
	}
}

/** A project category from the analysis' (`agritech`, `Design`...); `other` for one we do not know, null for none. */
function categoryOf(category: string | null): ProjectCategory | null {
	if (!category) return null;
	const lower = category.trim().toLowerCase();
	return (PROJECT_CATEGORIES as readonly string[]).includes(lower) ? (lower as ProjectCategory) : 'other';
}

async function insert(app: App, entity: string, values: Record<string, unknown>): Promise<{ id: number }> {
	const { data } = await app.em.mutator(entity as never).insertOne(values as never);
	return { id: Number((data as { id: unknown }).id) };
}

// ---- the journal ----

async function ensureJournal(app: App): Promise<void> {
	let ready = journalReady.get(app);
	if (!ready) {
		ready = sql`CREATE TABLE IF NOT EXISTS ${sql.table(JOURNAL)} (
			lead_id INTEGER PRIMARY KEY,
			slug TEXT NOT NULL,
			email TEXT NOT NULL,
			started_at INTEGER NOT NULL,
			client_id INTEGER,
			project_id INTEGER,
			user_id INTEGER
		)`
			.execute(app.em.connection.kysely)
			.then(() => undefined);
		journalReady.set(app, ready);
		ready.catch(() => journalReady.delete(app));
	}
	await ready;
}

async function readJournal(app: App, leadId: number): Promise<JournalRow | undefined> {
	// The query builder, not a raw `sql` SELECT: bknd's libsql driver answers a raw query that finds no row with
	// one empty row (it runs `select 1` for statements it does not take for SELECTs).
	return (await app.em.connection.kysely.selectFrom(JOURNAL as string).selectAll().where('lead_id', '=', leadId).executeTakeFirst()) as JournalRow | undefined;
}

async function record(app: App, journal: JournalRow, column: 'client_id' | 'project_id' | 'user_id', id: number): Promise<void> {
	journal[column] = id;
	await sql`UPDATE ${sql.table(JOURNAL)} SET ${sql.ref(column)} = ${id} WHERE lead_id = ${journal.lead_id}`.execute(app.em.connection.kysely);
}

async function deleteJournal(app: App, leadId: number): Promise<void> {
	await sql`DELETE FROM ${sql.table(JOURNAL)} WHERE lead_id = ${leadId}`.execute(app.em.connection.kysely);
}

/**
 * Undoes what a conversion made, newest first: the user (and its links), the project(s) of the new client, the
 * client; then forgets the journal row. With `searchUnrecorded` (a row left by a crash), an id the journal did
 * not get (the crash came right after an insert) is found by what the conversion chose: the client by its slug
 * if created after the conversion started, the user by its address and that client. Never for a failure in
 * this process: a slug refused because another client just took it must not find (and delete) that client.
 * The projects of the new client are all this conversion's (a client this new has no other).
 */
async function undoJournal(app: App, journal: JournalRow, { searchUnrecorded }: { searchUnrecorded: boolean }): Promise<void> {
	const db = app.em.connection.kysely;
	let clientId = journal.client_id;
	if (clientId === null && searchUnrecorded) {
		const bySlug = (await db.selectFrom('clients').select(['id', 'created_at']).where('slug', '=', journal.slug).executeTakeFirst()) as
			| { id: number; created_at: string | null }
			| undefined;
		// One second of slack: `created_at` is stamped just before the insert, `started_at` just before that.
		if (bySlug && Date.parse(bySlug.created_at ?? '') >= journal.started_at - 1000) clientId = bySlug.id;
	}
	let userId = journal.user_id;
	if (userId === null && clientId !== null && searchUnrecorded) {
		const byEmail = (await db
			.selectFrom('users' as string)
			.select('id')
			.where(sql<string>`lower(email)`, '=', journal.email.toLowerCase())
			.where('client_id', '=', clientId)
			.executeTakeFirst()) as { id: number } | undefined;
		userId = byEmail?.id ?? null;
	}
	if (userId !== null) await deleteAccount(app, userId);
	const projectIds = new Set<number>(journal.project_id === null ? [] : [journal.project_id]);
	if (clientId !== null) {
		const own = (await db.selectFrom('projects').select('id').where('clients_id', '=', clientId).execute()) as { id: number }[];
		for (const project of own) projectIds.add(project.id);
	}
	for (const id of [...projectIds].sort((a, b) => b - a)) await deleteIfThere(app, 'projects', id);
	if (clientId !== null) await deleteIfThere(app, 'clients', clientId);
	await deleteJournal(app, journal.lead_id);
}

async function deleteIfThere(app: App, entity: string, id: number): Promise<void> {
	const there = await app.em.connection.kysely.selectFrom(entity).select('id').where('id', '=', id).executeTakeFirst();
	if (there) await app.em.mutator(entity as never).deleteOne(id as never);
}

/** The slug of the client a converted lead became (for the 409 answer). */
async function convertedSlug(app: App, leadId: number): Promise<string | undefined> {
	const row = (await app.em.connection.kysely
		.selectFrom('leads')
		.innerJoin('clients', 'clients.id', 'leads.clients_id')
		.select('clients.slug')
		.where('leads.id', '=', leadId)
		.executeTakeFirst()) as { slug: string } | undefined;
	return row?.slug;
}
