import { z } from 'zod';
import type { ClientForm } from '$shared/crm/clientForm';
import type { ClientListQuery } from '$shared/crm/clientListQuery';
import { clientRowSchema, projectRowSchema, type ClientRow, type ProjectRow } from '$shared/entities';
import type { FieldErrors } from '$lib/forms/fieldErrors';
import type { MessageKey } from '$lib/i18n';
import type { ServerEnv } from '../env';
import { insertRow, readAll, readById, readPage, updateRow, type WriteResult } from './crmData';
import { likePattern, matchesLiterally } from './literalSearch';
import { sharesOfProjects, type ShareView } from './shares';

// Clients (tenants) in the CRM: the searchable list, a client's page, and saving the client form.

/** Clients per page of the list. */
export const CLIENTS_PAGE_SIZE = 12;

/** A client as the list shows it. */
export interface ClientListItem {
	id: number;
	name: string;
	slug: string;
	industry: string | null;
	country: string | null;
	contactName: string | null;
	projectCount: number;
	/** Projects in progress or in review: where the work is now. */
	activeCount: number;
}

export interface ClientsPage {
	items: ClientListItem[];
	/** Every client matching the search, on all pages. */
	total: number;
	page: number;
	pages: number;
}

const projectStatusRow = z.object({ id: z.number(), clients_id: z.number().nullable(), status: z.string().nullable().optional() }).loose();

/** The columns the clients list searches. */
const SEARCHED = ['name', 'slug', 'contact_name', 'industry'] as const;

/**
 * One page of clients by name. bknd narrows the search (`$like` on name, slug, contact and industry), then only
 * the clients holding the text literally are kept (literalSearch.ts: `%` or `_` typed are not wildcards), and
 * the page is cut here: an agency has tens of clients, so every match is read at once (up to `readAll`'s 1000).
 */
export async function listClientsPage(env: ServerEnv, token: string, { q, page }: ClientListQuery): Promise<ClientsPage> {
	const like = { $like: likePattern(q) };
	const where = q ? { $or: Object.fromEntries(SEARCHED.map((column) => [column, like])) } : {};
	const matches = (await readAll(env, token, 'clients', clientRowSchema, { where, sort: 'name' })).filter(
		(c) => !q || SEARCHED.some((column) => matchesLiterally(c[column], q))
	);
	const count = matches.length;
	const offset = (page - 1) * CLIENTS_PAGE_SIZE;
	const rows = matches.slice(offset, offset + CLIENTS_PAGE_SIZE);
	const ids = rows.map((c) => c.id);
	const projects = ids.length
		? await readAll(env, token, 'projects', projectStatusRow, { where: { clients_id: { $in: ids } }, select: ['id', 'clients_id', 'status'] })
		: [];
	return {
		items: rows.map((c) => {
			const own = projects.filter((p) => p.clients_id === c.id);
			return {
				id: c.id,
				name: c.name,
				slug: c.slug,
				industry: c.industry ?? null,
				country: c.country ?? null,
				contactName: c.contact_name ?? null,
				projectCount: own.length,
				activeCount: own.filter((p) => p.status === 'in_progress' || p.status === 'review').length
			};
		}),
		total: count,
		page,
		pages: Math.max(1, Math.ceil(count / CLIENTS_PAGE_SIZE))
	};
}

/** One client by id (`null` when there is none). */
export function readClientRow(env: ServerEnv, token: string, id: number): Promise<ClientRow | null> {
	return readById(env, token, 'clients', id, clientRowSchema);
}

/** A client as pickers and project lists name it. */
export interface ClientOption {
	id: number;
	name: string;
	slug: string;
}

/** Every client by name, for pickers (an agency has tens of clients, not thousands). */
export function listClientOptions(env: ServerEnv, token: string): Promise<ClientOption[]> {
	return readAll(env, token, 'clients', clientRowSchema, { sort: 'name', select: ['id', 'name', 'slug'] }).then((rows) =>
		rows.map(({ id, name, slug }) => ({ id, name, slug }))
	);
}

/** A person who signs in for this client (bknd `users` with its `client_id`; staff may read users, never the hash). */
export interface ClientUser {
	id: number;
	name: string | null;
	email: string;
}

const clientUserRow = z.object({ id: z.number(), email: z.string(), name: z.string().nullish() }).loose();

/** Everything a client's CRM page shows. */
export interface ClientDetail {
	client: ClientRow;
	projects: ProjectRow[];
	shares: ShareView[];
	users: ClientUser[];
}

/** A client's page: the client, its projects, the partner shares of those projects and its users; `null` if no such client. */
export async function readClientDetail(env: ServerEnv, token: string, id: number): Promise<ClientDetail | null> {
	const client = await readClientRow(env, token, id);
	if (!client) return null;
	const [projects, users] = await Promise.all([
		readAll(env, token, 'projects', projectRowSchema, { where: { clients_id: id }, sort: 'due_date' }),
		readAll(env, token, 'users', clientUserRow, { where: { client_id: id }, select: ['id', 'email', 'name'], sort: 'name' })
	]);
	const shares = await sharesOfProjects(env, token, projects);
	return { client, projects, shares, users: users.map((u) => ({ id: u.id, email: u.email, name: u.name ?? null })) };
}

/** How a save of the client form ended. */
export type ClientSave = { ok: true; id: number } | { ok: false; status: number; errors: FieldErrors } | { ok: false; status: number; message: MessageKey };

/** bknd's answer to a client write, for the form: its slug refusals (bknd/dataRules.ts) become the slug field's error. */
function clientSaved(result: WriteResult<ClientRow>): ClientSave {
	if (result.ok) return { ok: true, id: result.row.id };
	if (result.status === 409) return { ok: false, status: 409, errors: { slug: { key: 'crm.slugTaken' } } };
	if (result.status === 400 && /slug/i.test(result.message)) return { ok: false, status: 400, errors: { slug: { key: 'crm.slugFormat' } } };
	if (result.status === 404) return { ok: false, status: 404, message: 'crm.clientGone' };
	console.warn(`[crm] bknd refused a client write: ${result.status} ${result.message}`);
	return { ok: false, status: result.status, message: 'crm.saveRefused' };
}

/** Creates a client; a slug already taken (bknd's unique index, 409) is the slug field's error. */
export async function createClient(env: ServerEnv, token: string, form: ClientForm): Promise<ClientSave> {
	return clientSaved(await insertRow(env, token, 'clients', clientRowSchema, form));
}

/**
 * Saves the client form over client `id`. The slug names the tenant's portal, subdomain and live room, and
 * project rooms are named after it too: once the client has projects it cannot change (`crm.slugLocked`).
 * (Checked here, then written: a project created in between is a race staff would have to make on purpose.)
 */
export async function updateClient(env: ServerEnv, token: string, id: number, form: ClientForm): Promise<ClientSave> {
	const current = await readClientRow(env, token, id);
	if (!current) return { ok: false, status: 404, message: 'crm.clientGone' };
	if (form.slug !== current.slug) {
		const { count } = await readPage(env, token, 'projects', projectStatusRow, { where: { clients_id: id }, select: ['id', 'clients_id'], limit: 1 });
		if (count > 0) return { ok: false, status: 400, errors: { slug: { key: 'crm.slugLocked' } } };
	}
	return clientSaved(await updateRow(env, token, 'clients', id, clientRowSchema, form));
}
