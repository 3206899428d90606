import type * as Y from 'yjs';
import type { Presence } from '$shared/presence';
import type { Peer } from './presence';
import { joinProjectRoom, type DeniedReason, type RoomStatus } from './projectRoom';

/** Reactive view of one project room for components: status, people present and the shared notes. */
export class ProjectRoomState {
	status = $state<RoomStatus>('connecting');
	reason = $state<DeniedReason | null>(null);
	peers = $state<Peer[]>([]);
	/** The notes were loaded from the room at least once (the editor unlocks then). */
	synced = $state(false);
	notes = $state.raw<Y.Text | null>(null);

	/** Joins `roomId` as `me`; returns the function that leaves (use it as an `$effect` cleanup). */
	connect(roomId: string, me: Presence): () => void {
		this.status = 'connecting';
		this.reason = null;
		this.peers = [];
		this.synced = false;
		const handle = joinProjectRoom(roomId, me, {
			onStatus: (status, reason) => {
				this.status = status;
				this.reason = reason;
			},
			onPeers: (peers) => {
				this.peers = peers;
			},
			onSynced: () => {
				this.synced = true;
			}
		});
		this.notes = handle.notes;
		return () => {
			this.notes = null;
			handle.destroy();
		};
	}
}
