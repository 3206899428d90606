import type { LoggedEvent } from '../../../../../../shared/live/events';
import type { ProjectCategory, ProjectStatus } from '../../../../../../shared/entities';
import { applyEvent, type DashboardState, type Row } from '../../../../lib/live/dashboardState';
import { PROJECT_STATUS_ORDER, projectView } from '../../../../lib/live/dashboardViews';

// What the projects board shows, from the live state (the page's snapshot with the staff room's events applied,
// lib/live/dashboardState.ts): pure, unit-tested, no Svelte, no zod. Rows are merged by revision (`updated_at`):
// an event or an answer never replaces a row with an older revision, so a stale event cannot undo a newer state
// and the echo of a move (same revision as the saved answer) changes nothing. A move on its way is drawn from
// `moving`, which wins over the row until the move's answer is in.

/** The board's filters (its URL's query): one client (`clients.id`) and/or one category. */
export interface BoardFilters {
	tenant: number | null;
	category: ProjectCategory | null;
}

/** A move on its way: the column the card is shown in, and which of the card's moves it is (the latest wins). */
export interface PendingMove {
	status: ProjectStatus;
	ticket: number;
}

export interface BoardCard {
	id: number;
	title: string;
	clientName: string | null;
	status: ProjectStatus;
	progress: number;
	dueDate: string | null;
	late: boolean;
	/** Drawn where it is being moved to, until the server answers. */
	pending: boolean;
}

export interface BoardColumn {
	status: ProjectStatus;
	cards: BoardCard[];
}

/** What a move's answer says bknd saved. */
export interface SavedMove {
	id: number;
	status: string;
	updated_at: string | null;
}

const isStatus = (value: unknown): value is ProjectStatus => typeof value === 'string' && (PROJECT_STATUS_ORDER as readonly string[]).includes(value);

/** Whether a project row belongs on a board with these filters. */
export function isOnBoard(row: Row, filters: BoardFilters): boolean {
	if (typeof row.id !== 'number') return false;
	if (filters.tenant !== null && row.clients_id !== filters.tenant) return false;
	return filters.category === null || row.category === filters.category;
}

/**
 * The columns in workflow order, each by due date (undated last). A card with an unknown status goes to the
 * first column rather than off the board; a card being moved is drawn in the column it goes to.
 */
export function boardColumns(state: DashboardState, view: { filters: BoardFilters; moving: Readonly<Record<number, PendingMove>>; today: string }): BoardColumn[] {
	const cards: BoardCard[] = [];
	for (const row of Object.values(state.rows.projects)) {
		if (!isOnBoard(row, view.filters)) continue;
		const project = projectView(row, view.today);
		const move = view.moving[project.id];
		const status = move?.status ?? (isStatus(project.status) ? project.status : PROJECT_STATUS_ORDER[0]);
		const client = project.clientId === null ? undefined : state.rows.clients[String(project.clientId)];
		cards.push({
			id: project.id,
			title: project.title || `#${project.id}`,
			clientName: typeof client?.name === 'string' ? client.name : null,
			status,
			progress: project.progress,
			dueDate: project.dueDate,
			// Late is read from the status the card is shown with: a card dropped on "Terminé" stops being late at once.
			late: move ? projectView({ ...row, status }, view.today).late : project.late,
			pending: move !== undefined
		});
	}
	cards.sort((a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.id - b.id);
	return PROJECT_STATUS_ORDER.map((status) => ({ status, cards: cards.filter((card) => card.status === status) }));
}

/**
 * Whether the answer to move `ticket` of card `id` ends its pending state: not when a later move of the same card
 * is still on its way (its column stays shown until its own answer, so the card never jumps back in between).
 */
export function isLatestMove(moving: Readonly<Record<number, PendingMove>>, id: number, ticket: number): boolean {
	return moving[id]?.ticket === ticket;
}

/**
 * `state` with a move bknd saved: the row takes the saved status and revision, unless the state already holds a
 * later revision (a colleague's move, heard live, that came after ours).
 */
export function withSaved(state: DashboardState, saved: SavedMove, now: string): DashboardState {
	const at = saved.updated_at ?? now;
	// Without a revision (never from bknd today) the status still applies and the row keeps the one it had.
	const row: Row = saved.updated_at ? { id: saved.id, status: saved.status, updated_at: saved.updated_at } : { id: saved.id, status: saved.status };
	return applyEvent(state, { seq: 0, id: `local:projects:${saved.id}:${at}`, tenant: null, entity: 'projects', op: 'update', row, at });
}

/** `state` without project `id`: bknd answered that it no longer exists (its delete event will change nothing). */
export function withoutProject(state: DashboardState, id: number, now: string): DashboardState {
	// Dated at the row's own revision, so the delete wins even when this browser's clock is behind bknd's.
	const held = state.rows.projects[String(id)]?.updated_at;
	const at = typeof held === 'string' && held !== '' ? held : now;
	return applyEvent(state, { seq: 0, id: `local:projects:${id}:gone:${at}`, tenant: null, entity: 'projects', op: 'delete', row: { id }, at });
}

/**
 * Whether `event` is a change someone else made after the page's snapshot (worth highlighting and announcing):
 * a project written after the join point (`joinSeq`, read before the snapshot) with a revision later than the
 * snapshot's, that is neither this page's own move on its way nor the echo of one it saved.
 */
export function isOthersChange(event: LoggedEvent, page: { joinSeq: number | null; snapshotRevision: string | null | undefined; moving: boolean; ownRevision: boolean }): boolean {
	if (event.entity !== 'projects' || event.op === 'delete' || typeof event.row.id !== 'number') return false;
	if (page.moving || page.ownRevision) return false;
	if (page.joinSeq !== null && event.seq <= page.joinSeq) return false;
	return page.snapshotRevision === undefined || isLater(event.row.updated_at, page.snapshotRevision);
}

/** The key of one revision of one project, to recognise the echo of a saved move. */
export function revisionKey(id: number, revision: Row[string] | undefined): string {
	return `${id}@${stampOf(revision) ?? 'none'}`;
}

/** Whether revision `a` is strictly later than `b` (an unreadable `b` counts as older). */
function isLater(a: Row[string] | undefined, b: Row[string] | undefined): boolean {
	const x = stampOf(a);
	const y = stampOf(b);
	return x !== null && (y === null || x > y);
}

/** Milliseconds of an ISO or SQLite (`2026-11-26 08:00:00`, UTC) timestamp; `null` when unreadable. */
function stampOf(value: Row[string] | undefined): number | null {
	if (typeof value !== 'string' || value === '') return null;
	const ms = Date.parse(/^\d{4}-\d{2}-\d{2} /.test(value) ? `${value.replace(' ', 'T')}Z` : value);
	return Number.isNaN(ms) ? null : ms;
}
