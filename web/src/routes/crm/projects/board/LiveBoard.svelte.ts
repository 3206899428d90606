import type { LoggedEvent } from '$shared/live/events';
import { LiveDashboard, type LiveSource } from '$lib/live/LiveDashboard.svelte';
import { SnapshotRevisions } from '$lib/components/board/snapshotRevisions';
import { todayInMadagascar } from '$lib/live/dashboardViews';
import type { ProjectStatus } from '$shared/entities';
import { boardColumns, isLatestMove, isOnBoard, isOthersChange, revisionKey, withoutProject, withSaved, type BoardColumn, type BoardFilters, type PendingMove, type SavedMove } from './boardState';

/** How long a card someone else just changed stays highlighted. */
const FRESH_MS = 6_000;

/** What the board page's load returns for it. */
export interface BoardSource extends LiveSource {
	filters: BoardFilters;
}

/**
 * The live projects board of `/crm/projects/board`: the staff room's feed (`fataplus`) on top of the page's
 * snapshot, joined at the number read before it (LiveDashboard), so a colleague's move, a change made through
 * bknd's API, a new or a deleted project shows on every open board. Project events for staff carry every field
 * a card shows (bknd/bridge/toEvent.ts), and client names come with the clients' own events: nothing to refetch.
 *
 * @example
 * const board = new LiveBoard(() => data, (title, status) => t('crm.moved', { title, status }));
 * $effect(() => board.follow(data.live));
 */
export class LiveBoard {
	readonly dashboard = new LiveDashboard(() => this.source());
	/** Cards shown in the column they are being moved to, until the server answers. */
	moving: Record<number, PendingMove> = $state({});
	/** Cards someone else changed a moment ago (highlighted). */
	fresh: Record<number, true> = $state({});
	/** The last change by someone else, for screen readers. */
	announcement = $state('');

	columns: BoardColumn[] = $derived.by(() => boardColumns(this.dashboard.state, { filters: this.source().filters, moving: this.moving, today: todayInMadagascar() }));
	/** How many cards the board shows. */
	count: number = $derived(this.columns.reduce((n, column) => n + column.cards.length, 0));

	private tickets = 0;
	/** Revisions this page saved itself: their events are echoes, not news. */
	private readonly own = new Set<string>();
	private readonly timers = new Set<ReturnType<typeof setTimeout>>();
	/** The revision of each project in a snapshot, to tell a replayed event from a new one. */
	private readonly revisions = new SnapshotRevisions('projects');

	constructor(
		private readonly source: () => BoardSource,
		private readonly describeChange: (title: string, status: ProjectStatus) => string
	) {}

	/** Joins the feed of the current load (call in an `$effect` reading `data.live`); returns the cleanup. */
	follow(live: LiveSource['live']): () => void {
		const leave = this.dashboard.follow(live, (event) => this.onEvent(event, live.seq));
		return () => {
			leave();
			for (const timer of this.timers) clearTimeout(timer);
			this.timers.clear();
			this.fresh = {};
		};
	}

	/** Shows card `id` in column `status` at once; returns the ticket to settle the move with. */
	startMove(id: number, status: ProjectStatus): number {
		const ticket = ++this.tickets;
		this.moving[id] = { status, ticket };
		return ticket;
	}

	/**
	 * The answer to move `ticket` of card `id` is in: the card leaves its pending state unless a later move of it
	 * is still on its way. With `saved`, the row takes the saved revision in the same update, so the card never
	 * shows its old column in between, and the event of that write, arriving later, changes nothing.
	 */
	settle(id: number, ticket: number, saved?: SavedMove): void {
		if (saved) {
			this.own.add(revisionKey(saved.id, saved.updated_at));
			this.dashboard.state = withSaved(this.dashboard.state, saved, new Date().toISOString());
		}
		if (isLatestMove(this.moving, id, ticket)) delete this.moving[id];
	}

	/** bknd no longer has project `id` (a move answered 404): the board drops it, as its delete event would. */
	gone(id: number): void {
		this.dashboard.state = withoutProject(this.dashboard.state, id, new Date().toISOString());
	}

	private onEvent(event: LoggedEvent, joinSeq: number | null): void {
		const id = event.row.id;
		if (typeof id !== 'number') return;
		const news = isOthersChange(event, {
			joinSeq,
			snapshotRevision: this.revisions.of(this.source().snapshot, id),
			moving: this.moving[id] !== undefined,
			ownRevision: this.own.has(revisionKey(id, event.row.updated_at))
		});
		const row = this.dashboard.state.rows.projects[String(id)];
		// Only what this board shows (its filters), and only when the event is what the board now holds (not a stale one).
		if (!news || !row || row.updated_at !== event.row.updated_at || !isOnBoard(row, this.source().filters)) return;
		this.fresh[id] = true;
		const status = this.columns.flatMap((column) => column.cards).find((card) => card.id === id)?.status;
		if (status) this.announcement = this.describeChange(typeof row.title === 'string' ? row.title : `#${id}`, status);
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			delete this.fresh[id];
		}, FRESH_MS);
		this.timers.add(timer);
	}
}
