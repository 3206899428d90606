/** Frame-relative points (0..1 on both axes, so a pin stays put whatever size the frame is shown at). */
export interface UnitPoint {
	x: number;
	y: number;
}

/** The part of a DOM rect the math needs (`getBoundingClientRect()` gives it). */
export interface Box {
	left: number;
	top: number;
	width: number;
	height: number;
}

/** Clamps to 0..1 (NaN becomes 0). */
export function clamp01(value: number): number {
	return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

// Four decimals: a ten-thousandth of the frame, finer than any screen shows, and short on the wire.
const round = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Where a pointer at (`clientX`, `clientY`) falls in `box`, as a unit point; `null` outside it or for an empty box.
 * @example pointInBox({ left: 100, top: 50, width: 400, height: 200 }, 300, 100) // { x: 0.5, y: 0.25 }
 */
export function pointInBox(box: Box, clientX: number, clientY: number): UnitPoint | null {
	if (box.width <= 0 || box.height <= 0) return null;
	const x = (clientX - box.left) / box.width;
	const y = (clientY - box.top) / box.height;
	if (x < 0 || x > 1 || y < 0 || y > 1) return null;
	return { x: round(x), y: round(y) };
}

/** Arrow keys move a point being placed by `step` (Shift: five times more); `null` for any other key. */
export function nudgePoint(point: UnitPoint, key: string, shift = false, step = 0.02): UnitPoint | null {
	const d = shift ? step * 5 : step;
	const moves: Record<string, [number, number]> = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, -d], ArrowDown: [0, d] };
	const move = moves[key];
	return move ? { x: round(clamp01(point.x + move[0])), y: round(clamp01(point.y + move[1])) } : null;
}

/** Which side of a pin its popover opens on, so it stays inside the frame. */
export function popoverSide(point: UnitPoint): { horizontal: 'right' | 'left'; vertical: 'below' | 'above' } {
	return { horizontal: point.x > 0.55 ? 'left' : 'right', vertical: point.y > 0.6 ? 'above' : 'below' };
}

/** A CSS percentage for a unit coordinate. */
export function percent(value: number): string {
	return `${round(clamp01(value) * 100)}%`;
}
