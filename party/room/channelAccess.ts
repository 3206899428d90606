import { can, type Actor } from '../../shared/review';
import { CHANNELS, type ChannelName } from '../../shared/protocol';

export interface ChannelAccess {
	readable: Set<ChannelName>;
	writable: Set<ChannelName>;
}

/**
 * Which documents a connection is synced on and which it may write through Yjs.
 * The review lanes are never writable through Yjs: they change only by commands. A client never
 * reads the internal lane or internal version notes (rule LANE-1: not one byte of internal content).
 */
export function channelAccess(actor: Actor): ChannelAccess {
	const readable = new Set<ChannelName>(['notes', 'client', 'versionNotesClient']);
	if (can(actor, 'lane.read', { lane: 'internal' })) {
		readable.add('internal');
		readable.add('versionNotesInternal');
	}
	const writable = new Set<ChannelName>();
	// Shared project notes: everyone in the project writes them but partner viewers (read-only shares).
	if (!(actor.role === 'partner' && actor.partnerAccess !== 'editor')) writable.add('notes');
	if (can(actor, 'version.editNotes')) {
		writable.add('versionNotesClient');
		if (readable.has('versionNotesInternal')) writable.add('versionNotesInternal');
	}
	return { readable, writable };
}

/** The channels in wire order, for stable iteration. */
export const CHANNEL_ORDER = (Object.keys(CHANNELS) as ChannelName[]).sort((a, b) => CHANNELS[a] - CHANNELS[b]);
