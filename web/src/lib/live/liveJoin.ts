/** What the browser needs to join a live room where the page's snapshot left off (built by liveJoin.server.ts). */
export interface LiveJoin {
	/** The live room id: a tenant slug, or `fataplus`. */
	room: string;
	/** `ws(s)://…/ws/live/<room>` */
	url: string;
	/**
	 * The room's sequence number, read BEFORE the snapshot: every change after it is either in the snapshot or
	 * will arrive as an event (or both; dashboardState.ts applies events idempotently). `null` if the room did not answer.
	 */
	seq: number | null;
}

/** `invalidate(SNAPSHOT_DEPENDENCY)` re-runs a dashboard's load: a fresh number, then a fresh snapshot. */
export const SNAPSHOT_DEPENDENCY = 'live:snapshot';
