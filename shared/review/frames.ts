import { commit, newId, personOf, unchanged, type ApplyContext } from './applyContext';
import type { CommandOf } from './commands';
import { frameOrders, putEntry, readEntry } from './layout';
import { keyBetween } from './orderKeys';
import { refuse, type CommandResult } from './outcome';
import { can } from './permissions';
import type { StoredFrame } from './records';

/** Frames in display order: by order key, then id (equal keys only arise from concurrent writers). */
export function byFrameOrder(a: StoredFrame, b: StoredFrame): number {
	return a.order !== b.order ? (a.order < b.order ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// The key for a frame placed right after the frame with key `lower` (first when null), given the keys of the
// other frames (`orders` excludes the frame moved). The upper bound is the first key strictly greater, so
// equal keys left by concurrent writers never make keyBetween throw. One pass, no sort, no parse.
function orderAfter(orders: readonly { order: string }[], lower: string | null): string {
	let upper: string | null = null;
	for (const { order } of orders) if ((lower === null || order > lower) && (upper === null || order < upper)) upper = order;
	return keyBetween(lower, upper);
}

function lastOrder(orders: readonly { order: string }[]): string | null {
	let last: string | null = null;
	for (const { order } of orders) if (last === null || order > last) last = order;
	return last;
}

/** `frame.add`: staff add a frame to the review, after `afterFrameId` or at the end. */
export function applyFrameAdd(ctx: ApplyContext, command: CommandOf<'frame.add'>): CommandResult {
	if (!can(ctx.actor, 'frame.manage')) return refuse('forbidden', 'Only the agency adds frames.');
	const after = command.afterFrameId !== undefined ? readEntry(ctx.docs.client, 'frames', command.afterFrameId) : null;
	if (command.afterFrameId !== undefined && !after) {
		return refuse('not_found', 'The frame to insert after no longer exists. Reload the review.');
	}
	const orders = frameOrders(ctx.docs.client);
	const frame: StoredFrame = {
		id: newId(ctx),
		name: command.name,
		figmaNodeId: command.figmaNodeId ?? null,
		page: command.page ?? null,
		width: command.width,
		height: command.height,
		image: command.image ?? null,
		order: after ? orderAfter(orders, after.order) : keyBetween(lastOrder(orders), null),
		archived: false,
		createdBy: personOf(ctx.actor),
		createdAt: ctx.stamp.at
	};
	return commit(ctx, 'client', (doc) => putEntry(doc, 'frames', frame), { created: [{ kind: 'frame', id: frame.id }] });
}

/** `frame.rename`. */
export function applyFrameRename(ctx: ApplyContext, command: CommandOf<'frame.rename'>): CommandResult {
	if (!can(ctx.actor, 'frame.manage')) return refuse('forbidden', 'Only the agency renames frames.');
	const frame = readEntry(ctx.docs.client, 'frames', command.frameId);
	if (!frame) return frameGone();
	return commit(ctx, 'client', (doc) => putEntry(doc, 'frames', { ...frame, name: command.name }));
}

/** `frame.move`: places the frame after `afterFrameId`, or first when it is null. */
export function applyFrameMove(ctx: ApplyContext, command: CommandOf<'frame.move'>): CommandResult {
	if (!can(ctx.actor, 'frame.manage')) return refuse('forbidden', 'Only the agency reorders frames.');
	const frame = readEntry(ctx.docs.client, 'frames', command.frameId);
	if (!frame) return frameGone();
	if (command.afterFrameId === command.frameId) return refuse('invalid', 'A frame cannot be placed after itself.');
	const after = command.afterFrameId !== null ? readEntry(ctx.docs.client, 'frames', command.afterFrameId) : null;
	if (command.afterFrameId !== null && !after) {
		return refuse('not_found', 'The frame to place it after no longer exists. Reload the review.');
	}
	const others = frameOrders(ctx.docs.client).filter((f) => f.id !== frame.id);
	const order = orderAfter(others, after?.order ?? null);
	return commit(ctx, 'client', (doc) => putEntry(doc, 'frames', { ...frame, order }));
}

/** `frame.archive`: hides a frame from the review (or brings it back); its threads are kept. */
export function applyFrameArchive(ctx: ApplyContext, command: CommandOf<'frame.archive'>): CommandResult {
	if (!can(ctx.actor, 'frame.manage')) return refuse('forbidden', 'Only the agency archives frames.');
	const frame = readEntry(ctx.docs.client, 'frames', command.frameId);
	if (!frame) return frameGone();
	if (frame.archived === command.archived) return unchanged();
	return commit(ctx, 'client', (doc) => putEntry(doc, 'frames', { ...frame, archived: command.archived }));
}

function frameGone(): CommandResult {
	return refuse('not_found', 'This frame no longer exists. Reload the review.');
}
