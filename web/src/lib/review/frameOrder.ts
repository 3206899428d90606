/**
 * The `afterFrameId` of a `frame.move` that moves `frameId` one place up or down among `frames` (the active
 * frames in board order): `null` moves it first; `undefined` when it cannot move that way.
 * @example moveAfter(['a', 'b', 'c'], 'c', 'up') // 'a'
 */
export function moveAfter(frames: readonly string[], frameId: string, direction: 'up' | 'down'): string | null | undefined {
	const index = frames.indexOf(frameId);
	if (index < 0) return undefined;
	if (direction === 'up') {
		if (index === 0) return undefined;
		return index >= 2 ? frames[index - 2]! : null;
	}
	return index < frames.length - 1 ? frames[index + 1]! : undefined;
}
