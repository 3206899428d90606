import type { ThreadView } from '../../../../shared/review';

/** The filters of the threads sidebar. */
export const THREAD_FILTERS = ['open', 'resolved', 'mine', 'mentions'] as const;
export type ThreadFilter = (typeof THREAD_FILTERS)[number];

/** Threads `userId` started or wrote in (deleted replies do not count). */
export function isMine(thread: ThreadView, userId: string): boolean {
	return thread.createdBy.userId === userId || thread.messages.some((m) => m.author.userId === userId && !m.deletedAt);
}

/** Threads with a (not deleted) message mentioning `userId`. */
export function mentionsUser(thread: ThreadView, userId: string): boolean {
	return thread.messages.some((m) => !m.deletedAt && m.mentions.includes(userId));
}

/** Whether `thread` passes `filter` for `userId`. */
export function matchesFilter(thread: ThreadView, filter: ThreadFilter, userId: string): boolean {
	switch (filter) {
		case 'open':
			return thread.status === 'open';
		case 'resolved':
			return thread.status === 'resolved';
		case 'mine':
			return isMine(thread, userId);
		case 'mentions':
			return mentionsUser(thread, userId);
		default:
			return assertNever(filter);
	}
}

/** The newest moment anything was written in a thread (a message, an edit, a resolution). */
export function lastActivity(thread: ThreadView): string {
	let last = thread.createdAt;
	for (const stamp of [thread.resolvedAt, thread.reopenedAt, ...thread.messages.flatMap((m) => [m.createdAt, m.editedAt])]) {
		if (stamp && stamp > last) last = stamp;
	}
	return last;
}

/**
 * The threads to list: those passing `filter`, of one frame if `frameId` is given, most recently active first.
 * @example filterThreads(view.threads, 'mentions', me.userId)
 */
export function filterThreads(threads: readonly ThreadView[], filter: ThreadFilter, userId: string, frameId?: string | null): ThreadView[] {
	return threads
		.filter((t) => (!frameId || t.frameId === frameId) && matchesFilter(t, filter, userId))
		.map((t) => ({ t, at: lastActivity(t) }))
		.sort((a, b) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.t.id < b.t.id ? -1 : 1))
		.map(({ t }) => t);
}

/** How many threads each filter would show. */
export function filterCounts(threads: readonly ThreadView[], userId: string, frameId?: string | null): Record<ThreadFilter, number> {
	const scoped = frameId ? threads.filter((t) => t.frameId === frameId) : threads;
	return Object.fromEntries(THREAD_FILTERS.map((f) => [f, scoped.filter((t) => matchesFilter(t, f, userId)).length])) as Record<ThreadFilter, number>;
}

function assertNever(value: never): never {
	throw new Error(`unhandled filter ${String(value)}`);
}
