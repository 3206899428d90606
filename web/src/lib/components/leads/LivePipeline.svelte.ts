import type { LoggedEvent } from '$shared/live/events';
import { applyEvent, rowsOf, type Row } from '$lib/live/dashboardState';
import { LiveDashboard, type LiveSource } from '$lib/live/LiveDashboard.svelte';
import { SnapshotRevisions } from '$lib/components/board/snapshotRevisions';
import { isLater, pipelineColumns, type LeadStatus, type PipelineColumn } from './pipelineView';

/** Where a board asks for the cards of leads it heard about (`?ids=1,2`): answers `{ cards: Row[] }`. */
export const CARDS_ENDPOINT = '/crm/leads/cards';
/** A burst of events (an import, a busy minute) makes one request. */
const REFETCH_DELAY_MS = 150;
/** How long a lead that arrived live is marked "new". */
const FRESH_MS = 8_000;

/**
 * The live pipeline of `/crm/leads`: the staff room's feed on top of the page's snapshot (LiveDashboard joins at
 * the snapshot's number, so nothing is missed or counted twice), plus the card fields that events do not carry,
 * fetched for each lead whose event is newer than what the board knows.
 *
 * @example
 * const pipeline = new LivePipeline(() => data);
 * $effect(() => pipeline.follow(data.live));
 */
export class LivePipeline {
	readonly dashboard = new LiveDashboard(() => this.source());
	/** Card rows fetched after live events, by lead id. */
	extras: Record<string, Row> = $state({});
	/** Leads shown in the column they are being moved to, until the server answers. */
	moving: Record<number, LeadStatus> = $state({});
	/** Leads that arrived live a moment ago (highlighted). */
	fresh: Record<number, true> = $state({});
	/** The last thing worth saying to screen readers (a lead arrived). */
	announcement = $state('');

	columns: PipelineColumn[] = $derived(pipelineColumns(rowsOf(this.dashboard.state, 'leads'), this.extras, this.moving));
	count: number = $derived(this.columns.reduce((n, column) => n + column.cards.length, 0));

	private queued = new Set<number>();
	private timer: ReturnType<typeof setTimeout> | null = null;
	/** The revision of each lead in a snapshot (the card fields it holds are that recent). */
	private readonly revisions = new SnapshotRevisions('leads');

	constructor(
		private readonly source: () => LiveSource,
		private readonly describeArrival: (title: string) => string
	) {}

	/** Joins the feed of the current load (call in an `$effect` reading `data.live`); returns the cleanup. */
	follow(live: LiveSource['live']): () => void {
		const leave = this.dashboard.follow(live, (event) => this.onEvent(event));
		return () => {
			leave();
			if (this.timer) clearTimeout(this.timer);
		};
	}

	/** A move the server saved: the card takes the saved revision (the event of that write changes nothing then). */
	applySaved(row: { id: number; status: string; updated_at: string | null }): void {
		const at = row.updated_at ?? new Date().toISOString();
		this.dashboard.state = applyEvent(this.dashboard.state, {
			seq: 0,
			id: `local:leads:${row.id}:${at}`,
			tenant: null,
			entity: 'leads',
			op: 'update',
			row: { id: row.id, status: row.status, updated_at: row.updated_at },
			at
		});
	}

	private onEvent(event: LoggedEvent): void {
		if (event.entity !== 'leads' || event.op === 'delete' || typeof event.row.id !== 'number') return;
		const id = event.row.id;
		// The feed may replay events the snapshot already had (the page joins a little before its number): only a
		// revision newer than the card fields the board holds is worth a request (and a new lead worth announcing).
		const known = this.extras[String(id)]?.updated_at ?? this.revisions.of(this.source().snapshot, id);
		if (known !== undefined && !isLater(event.row.updated_at, known)) return;
		if (event.op === 'insert' && known === undefined) this.arrived(id, typeof event.row.title === 'string' ? event.row.title : `#${id}`);
		this.queued.add(id);
		if (!this.timer) this.timer = setTimeout(() => void this.fetchCards(), REFETCH_DELAY_MS);
	}

	private arrived(id: number, title: string): void {
		this.announcement = this.describeArrival(title);
		this.fresh[id] = true;
		setTimeout(() => delete this.fresh[id], FRESH_MS);
	}

	private async fetchCards(): Promise<void> {
		this.timer = null;
		const ids = [...this.queued].slice(0, 50);
		for (const id of ids) this.queued.delete(id);
		try {
			const response = await fetch(`${CARDS_ENDPOINT}?ids=${ids.join(',')}`, { headers: { accept: 'application/json' }, cache: 'no-store' });
			if (!response.ok) return;
			const body = (await response.json()) as { cards?: unknown };
			if (!Array.isArray(body.cards)) return;
			for (const card of body.cards as Row[]) {
				const current = this.extras[String(card.id)];
				if (typeof card.id === 'number' && (!current || !isLater(current.updated_at, card.updated_at))) this.extras[String(card.id)] = card;
			}
		} catch {
			// Offline for a moment: the card keeps what the event said; the next event of that lead asks again.
		} finally {
			if (this.queued.size > 0 && !this.timer) this.timer = setTimeout(() => void this.fetchCards(), REFETCH_DELAY_MS);
		}
	}
}
