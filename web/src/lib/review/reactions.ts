/** The emoji offered under every message; others people added show up too. */
export const QUICK_REACTIONS = ['👍', '❤️', '🎉', '👀', '✅'] as const;

export interface ReactionChip {
	emoji: string;
	count: number;
	/** The viewer reacted with this emoji. */
	mine: boolean;
	userIds: string[];
}

/**
 * The reaction chips of a message: every emoji someone used, in the order first used, with counts and
 * whether the viewer is among them.
 */
export function reactionChips(reactions: Readonly<Record<string, readonly string[]>>, userId: string): ReactionChip[] {
	return Object.entries(reactions)
		.filter(([, users]) => users.length > 0)
		.map(([emoji, users]) => ({ emoji, count: users.length, mine: users.includes(userId), userIds: [...users] }));
}
