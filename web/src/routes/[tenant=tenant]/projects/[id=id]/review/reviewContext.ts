import { getContext, setContext } from 'svelte';
import type { Actor, ClientCommand, ReviewView } from '$shared/review';
import type { CommandReply } from '$lib/rooms/RoomClient';
import type { Member } from '$lib/review/members';

/** A command as components write it: the page adds the `commandId`. */
export type CommandInput = ClientCommand extends infer C ? (C extends { commandId: string } ? Omit<C, 'commandId'> : never) : never;

/** What every component of the review page reads (getters: the values stay reactive). */
export interface ReviewContext {
	readonly actor: Actor;
	readonly view: ReviewView;
	/** The people of the project as far as this viewer knows them (see $lib/review/members.ts). */
	readonly members: Member[];
	/** Display names by user id, from every source the page has. */
	readonly names: ReadonlyMap<string, string>;
	/** The viewer reads the internal lane (staff and partners). */
	readonly internal: boolean;
	/** Ticks every 30 s, for relative times. */
	readonly now: number;
	readonly figmaFileKey: string | null;
	/** Sends a command; a refusal is shown to the user by the page and returned. */
	send(command: CommandInput): Promise<CommandReply>;
	openFrame(frameId: string | null): void;
	selectThread(threadId: string | null): void;
	readonly selectedThreadId: string | null;
}

const KEY = Symbol('review');

export function setReviewContext(context: ReviewContext): void {
	setContext(KEY, context);
}

export function reviewContext(): ReviewContext {
	return getContext<ReviewContext>(KEY);
}
