import { commit, newId, personOf, unchanged, type ApplyContext } from './applyContext';
import type { CommandOf } from './commands';
import { entryMap, frameToY, readEntries, readEntry } from './layout';
import { keyBetween } from './orderKeys';
import { refuse, type CommandResult } from './outcome';
import { can } from './permissions';
import type { StoredFrame } from './records';

/** Frames in display order: by order key, then id (equal keys only arise from concurrent writers). */
export function byFrameOrder(a: StoredFrame, b: StoredFrame): number {
	return a.order !== b.order ? (a.order < b.order ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// The key for a frame placed right after `afterId` (first when null) among `frames`, which excludes the frame moved.
// The upper bound is the first key strictly greater, so equal keys left by concurrent writers never make keyBetween throw.
function orderAfter(frames: StoredFrame[], afterId: string | null): string {
	const sorted = [...frames].sort(byFrameOrder);
	const lower = afterId === null ? null : (sorted.find((f) => f.id === afterId)?.order ?? null);
	const upper = sorted.find((f) => lower === null || f.order > lower)?.order ?? null;
	return keyBetween(lower, upper);
}

/** `frame.add`: staff add a frame to the review, after `afterFrameId` or at the end. */
export function applyFrameAdd(ctx: ApplyContext, command: CommandOf<'frame.add'>): CommandResult {
	if (!can(ctx.actor, 'frame.manage')) return refuse('forbidden', 'Only the agency adds frames.');
	const frames = readEntries(ctx.docs.client, 'frames');
	if (command.afterFrameId !== undefined && !frames.some((f) => f.id === command.afterFrameId)) {
		return refuse('not_found', 'The frame to insert after no longer exists. Reload the review.');
	}
	const last = [...frames].sort(byFrameOrder).at(-1);
	const frame: StoredFrame = {
		id: newId(ctx),
		name: command.name,
		figmaNodeId: command.figmaNodeId ?? null,
		page: command.page ?? null,
		width: command.width,
		height: command.height,
		image: command.image ?? null,
		order: command.afterFrameId !== undefined ? orderAfter(frames, command.afterFrameId) : keyBetween(last?.order ?? null, null),
		archived: false,
		createdBy: personOf(ctx.actor),
		createdAt: ctx.stamp.at
	};
	return commit(ctx, 'client', (maps) => maps.frames.set(frame.id, frameToY(frame)), { created: [{ kind: 'frame', id: frame.id }] });
}

/** `frame.rename`. */
export function applyFrameRename(ctx: ApplyContext, command: CommandOf<'frame.rename'>): CommandResult {
	if (!can(ctx.actor, 'frame.manage')) return refuse('forbidden', 'Only the agency renames frames.');
	const frame = entryMap(ctx.docs.client, 'frames', command.frameId);
	if (!frame || !readEntry(ctx.docs.client, 'frames', command.frameId)) return frameGone();
	return commit(ctx, 'client', () => frame.set('name', command.name));
}

/** `frame.move`: places the frame after `afterFrameId`, or first when it is null. */
export function applyFrameMove(ctx: ApplyContext, command: CommandOf<'frame.move'>): CommandResult {
	if (!can(ctx.actor, 'frame.manage')) return refuse('forbidden', 'Only the agency reorders frames.');
	const frames = readEntries(ctx.docs.client, 'frames');
	const frame = entryMap(ctx.docs.client, 'frames', command.frameId);
	if (!frame || !frames.some((f) => f.id === command.frameId)) return frameGone();
	if (command.afterFrameId === command.frameId) return refuse('invalid', 'A frame cannot be placed after itself.');
	if (command.afterFrameId !== null && !frames.some((f) => f.id === command.afterFrameId)) {
		return refuse('not_found', 'The frame to place it after no longer exists. Reload the review.');
	}
	const order = orderAfter(frames.filter((f) => f.id !== command.frameId), command.afterFrameId);
	return commit(ctx, 'client', () => frame.set('order', order));
}

/** `frame.archive`: hides a frame from the review (or brings it back); its threads are kept. */
export function applyFrameArchive(ctx: ApplyContext, command: CommandOf<'frame.archive'>): CommandResult {
	if (!can(ctx.actor, 'frame.manage')) return refuse('forbidden', 'Only the agency archives frames.');
	const stored = readEntry(ctx.docs.client, 'frames', command.frameId);
	const frame = entryMap(ctx.docs.client, 'frames', command.frameId);
	if (!stored || !frame) return frameGone();
	if (stored.archived === command.archived) return unchanged();
	return commit(ctx, 'client', () => frame.set('archived', command.archived));
}

function frameGone(): CommandResult {
	return refuse('not_found', 'This frame no longer exists. Reload the review.');
}
