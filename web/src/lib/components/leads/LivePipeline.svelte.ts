import type { LoggedEvent } from '$shared/live/events';
import { applyEvent, rowsOf } from '$lib/live/dashboardState';
import { LiveDashboard, type LiveSource } from '$lib/live/LiveDashboard.svelte';
import { SnapshotRevisions } from '$lib/components/board/snapshotRevisions';
import { pipelineColumns, type LeadStatus, type PipelineColumn } from './pipelineView';

/** How long a lead that arrived live is marked "new". */
const FRESH_MS = 8_000;

/**
 * The live pipeline of `/crm/leads`: the staff room's feed on top of the page's snapshot (LiveDashboard joins at
 * the snapshot's number, so nothing is missed or counted twice). Lead events carry every field a card shows.
 *
 * @example
 * const pipeline = new LivePipeline(() => data);
 * $effect(() => pipeline.follow(data.live));
 */
export class LivePipeline {
	readonly dashboard = new LiveDashboard(() => this.source());
	/** Leads shown in the column they are being moved to, until the server answers. */
	moving: Record<number, LeadStatus> = $state({});
	/** Leads that arrived live a moment ago (highlighted). */
	fresh: Record<number, true> = $state({});
	/** The last thing worth saying to screen readers (a lead arrived). */
	announcement = $state('');

	columns: PipelineColumn[] = $derived(pipelineColumns(rowsOf(this.dashboard.state, 'leads'), this.moving));
	count: number = $derived(this.columns.reduce((n, column) => n + column.cards.length, 0));

	/** The revision of each lead in a snapshot (a replayed event no older than it is not news). */
	private readonly revisions = new SnapshotRevisions('leads');

	constructor(
		private readonly source: () => LiveSource,
		private readonly describeArrival: (title: string) => string
	) {}

	/** Joins the feed of the current load (call in an `$effect` reading `data.live`); returns the cleanup. */
	follow(live: LiveSource['live']): () => void {
		return this.dashboard.follow(live, (event) => this.onEvent(event));
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

	/** Announces a lead that is new to this board (the state itself follows the event in LiveDashboard). */
	private onEvent(event: LoggedEvent): void {
		if (event.entity !== 'leads' || event.op !== 'insert' || typeof event.row.id !== 'number') return;
		const id = event.row.id;
		// The feed may replay events the snapshot already had (the page joins a little before its number).
		if (this.revisions.of(this.source().snapshot, id) !== undefined) return;
		this.arrived(id, typeof event.row.title === 'string' ? event.row.title : `#${id}`);
	}

	private arrived(id: number, title: string): void {
		this.announcement = this.describeArrival(title);
		this.fresh[id] = true;
		setTimeout(() => delete this.fresh[id], FRESH_MS);
	}
}
