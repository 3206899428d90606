import type { DashboardSnapshot, RowEntity } from '$lib/live/dashboardState';

/**
 * The revision (`updated_at`) of each row of one entity in a page's snapshot, read once per snapshot. A live board
 * joins its feed a little before the snapshot's number, so the feed may replay events the snapshot already had:
 * comparing with this revision tells a replayed event from news.
 */
export class SnapshotRevisions {
	private readonly bySnapshot = new WeakMap<DashboardSnapshot, Map<number, string | null>>();

	constructor(private readonly entity: RowEntity) {}

	/** The revision of row `id` in `snapshot`; undefined when the snapshot does not have it. */
	of(snapshot: DashboardSnapshot, id: number): string | null | undefined {
		let revisions = this.bySnapshot.get(snapshot);
		if (!revisions) {
			revisions = new Map((snapshot.rows[this.entity] ?? []).map((row) => [Number(row.id), typeof row.updated_at === 'string' ? row.updated_at : null]));
			this.bySnapshot.set(snapshot, revisions);
		}
		return revisions.get(id);
	}
}
