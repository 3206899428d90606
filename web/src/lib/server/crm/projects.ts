import { z } from 'zod';
import type { ProjectCreate, ProjectUpdate } from '$shared/crm/projectForm';
import type { ProjectListQuery } from '$shared/crm/projectListQuery';
import { projectRowSchema, type ProjectCategory, type ProjectRow, type ProjectStatus } from '$shared/entities';
import type { FieldErrors } from '$lib/forms/fieldErrors';
import type { MessageKey } from '$lib/i18n';
import { isLate } from '$lib/live/dashboardViews';
import type { ServerEnv } from '../env';
import { readClientRow, type ClientOption } from './clients';
import { insertRow, readAll, readById, readPage, updateRow, type WriteResult } from './crmData';

// Projects in the CRM: the filtered list, the board, and saving the project forms and board moves. Every write is
// one PATCH/POST of one row, so bknd's live bridge publishes it and every dashboard follows (bknd/bridge/).

/** Projects per page of the list. */
export const PROJECTS_PAGE_SIZE = 20;

/** A project with its client's name and whether it is late (due date passed and not completed or cancelled). */
export interface ProjectItem {
	project: ProjectRow;
	clientName: string | null;
	clientSlug: string | null;
	late: boolean;
}

export interface ProjectsPage {
	items: ProjectItem[];
	total: number;
	page: number;
	pages: number;
}

const lateCandidate = z.object({ id: z.number(), status: z.string().nullable().optional(), due_date: z.string().nullable().optional() }).loose();

/** The bknd `where` of the list's filters other than "late". */
function filterWhere({ tenant, status, category }: { tenant: number | null; status?: ProjectStatus | null; category: ProjectCategory | null }): Record<string, unknown> {
	return {
		...(tenant !== null ? { clients_id: tenant } : {}),
		...(status ? { status } : {}),
		...(category ? { category } : {})
	};
}

function withClients(rows: ProjectRow[], clients: readonly ClientOption[], today: string): ProjectItem[] {
	const byId = new Map(clients.map((c) => [c.id, c]));
	return rows.map((project) => {
		const client = project.clients_id === null ? undefined : byId.get(project.clients_id);
		return {
			project,
			clientName: client?.name ?? null,
			clientSlug: client?.slug ?? null,
			late: isLate({ dueDate: project.due_date ?? null, status: project.status ?? null }, today)
		};
	});
}

/**
 * One page of projects by due date, filtered by bknd. "Late" compares dates, which bknd 0.20 cannot do in a `where`
 * (`$lt` takes numbers only and answers 500 for a date string): the candidates' ids, due dates and statuses are read
 * first, the late ones picked here (`isLate`, as the dashboards do), and the page is then asked by id.
 * `clients` names them (clients.ts listClientOptions); `today` is Madagascar's calendar date (`YYYY-MM-DD`).
 */
export async function listProjectsPage(env: ServerEnv, token: string, query: ProjectListQuery, clients: readonly ClientOption[], today: string): Promise<ProjectsPage> {
	const where = filterWhere(query);
	if (query.late) {
		const candidates = await readAll(env, token, 'projects', lateCandidate, { where: { ...where, due_date: { $isnull: false } }, select: ['id', 'status', 'due_date'] });
		where.id = { $in: candidates.filter((p) => isLate({ dueDate: p.due_date ?? null, status: p.status ?? null }, today)).map((p) => p.id) };
	}
	const offset = (query.page - 1) * PROJECTS_PAGE_SIZE;
	const { rows, count } = await readPage(env, token, 'projects', projectRowSchema, { where, sort: 'due_date', limit: PROJECTS_PAGE_SIZE, offset });
	return {
		items: withClients(rows, clients, today),
		total: count,
		page: query.page,
		pages: Math.max(1, Math.ceil(count / PROJECTS_PAGE_SIZE))
	};
}

/** Every project of the board (optionally of one client or category), with client names. */
export async function listBoardProjects(
	env: ServerEnv,
	token: string,
	filters: { tenant: number | null; category: ProjectCategory | null },
	clients: readonly ClientOption[],
	today: string
): Promise<ProjectItem[]> {
	const rows = await readAll(env, token, 'projects', projectRowSchema, { where: filterWhere(filters), sort: 'due_date' });
	return withClients(rows, clients, today);
}

/** One project by id (`null` when there is none). */
export function readProjectRow(env: ServerEnv, token: string, id: number): Promise<ProjectRow | null> {
	return readById(env, token, 'projects', id, projectRowSchema);
}

/** How a save of a project form (or a board move) ended. */
export type ProjectSave = { ok: true; project: ProjectRow } | { ok: false; status: number; errors: FieldErrors } | { ok: false; status: number; message: MessageKey };

/** bknd's answer to a project write, for the form: its own checks (whole ariary, enums) become field errors. */
function projectSaved(result: WriteResult<ProjectRow>): ProjectSave {
	if (result.ok) return { ok: true, project: result.row };
	if (result.status === 404) return { ok: false, status: 404, message: 'crm.projectGone' };
	if (result.status === 400 && /budget_mga/.test(result.message)) return { ok: false, status: 400, errors: { budget_mga: { key: 'crm.budgetWhole' } } };
	console.warn(`[crm] bknd refused a project write: ${result.status} ${result.message}`);
	return { ok: false, status: result.status, message: 'crm.saveRefused' };
}

/** Creates a project for the client the form names (which must exist). */
export async function createProject(env: ServerEnv, token: string, form: ProjectCreate): Promise<ProjectSave> {
	if (!(await readClientRow(env, token, form.clients_id))) return { ok: false, status: 400, errors: { clients_id: { key: 'crm.chooseClient' } } };
	return projectSaved(await insertRow(env, token, 'projects', projectRowSchema, form));
}

/** Saves the edit form over project `id` (its client stays). */
export async function updateProject(env: ServerEnv, token: string, id: number, form: ProjectUpdate): Promise<ProjectSave> {
	return projectSaved(await updateRow(env, token, 'projects', id, projectRowSchema, form));
}

/** A board move: only the status changes. */
export async function moveProject(env: ServerEnv, token: string, id: number, status: ProjectStatus): Promise<ProjectSave> {
	return projectSaved(await updateRow(env, token, 'projects', id, projectRowSchema, { status }));
}
