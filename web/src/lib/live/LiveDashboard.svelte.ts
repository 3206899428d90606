import { untrack } from 'svelte';
import { invalidate } from '$app/navigation';
import type { LoggedEvent } from '$shared/live/events';
import { createRoomTokenSource } from '$lib/rooms/roomToken';
import { applyEvent, forgetProject, fromSnapshot, type DashboardSnapshot, type DashboardState } from './dashboardState';
import { LiveFeedClient, type LiveStatus } from './LiveFeedClient';
import { SNAPSHOT_DEPENDENCY, type LiveJoin } from './liveJoin';

/** What a dashboard page's load returns for the feed (see dashboardLoad.server.ts). */
export interface LiveSource {
	snapshot: DashboardSnapshot;
	live: LiveJoin;
}

/**
 * Events replayed from before the join point on a first connect, so the activity list shows what just happened
 * (review activity lives only in the room's log, not in bknd). Safe: every event applies idempotently.
 */
export const ACTIVITY_BACKLOG = 50;

/**
 * A live dashboard for a Svelte page: the state (the load's snapshot with the feed's events applied on top)
 * and the feed's status. Each load (the first, a reload after `reset`, a language switch: anything that brings
 * a new snapshot) starts the state over from its snapshot and joins the room again at its number, so a
 * snapshot and the events applied to it always come from the same join.
 *
 * @example
 * const dashboard = new LiveDashboard(() => data);
 * $effect(() => dashboard.follow(data.live));
 */
export class LiveDashboard {
	/** Derived from the load's snapshot, then moved forward by each event (a writable `$derived`). */
	state: DashboardState = $derived.by(() => fromSnapshot(this.source().snapshot));
	status: LiveStatus = $state({ state: 'connecting' });
	/** After a `reset` the next join uses the exact number: no backlog (it may be what the room no longer has). */
	private exact = false;

	constructor(private readonly source: () => LiveSource) {}

	/**
	 * Joins `live` (the current load's join point); returns the function that leaves. Call it in an `$effect` that
	 * reads `data.live`, so a new load leaves the old feed and joins at the new number.
	 */
	follow(live: LiveJoin, onEvent?: (event: LoggedEvent) => void): () => void {
		// Nothing read here may become a dependency of the caller's effect (it would re-join on every status change).
		return untrack(() => this.join(live, onEvent));
	}

	private join(live: LiveJoin, onEvent?: (event: LoggedEvent) => void): () => void {
		if (this.status.state !== 'connecting') this.status = { state: 'reconnecting' };
		const tokens = createRoomTokenSource(live.room);
		const since = live.seq === null ? null : this.exact ? live.seq : Math.max(0, live.seq - ACTIVITY_BACKLOG);
		this.exact = false;
		const feed = new LiveFeedClient({
			url: live.url,
			since,
			getToken: () => tokens.getToken(),
			onEvent: (event) => {
				this.state = applyEvent(this.state, event);
				onEvent?.(event);
			},
			onRevoked: (projectId) => (this.state = forgetProject(this.state, projectId)),
			onStatus: (status) => (this.status = status),
			onReset: async (roomSeq) => {
				this.exact = true;
				// The new load replaces `data.live`: the page's effect leaves this feed and follows the new one.
				await invalidate(SNAPSHOT_DEPENDENCY);
				return roomSeq;
			}
		});
		return () => {
			feed.destroy();
			tokens.stop();
		};
	}
}
