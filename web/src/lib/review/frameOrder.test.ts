import { describe, expect, it } from 'vitest';
import { moveAfter } from './frameOrder';

describe('moveAfter', () => {
	const frames = ['a', 'b', 'c', 'd'];

	it('ORD-1: moving up goes after the frame two places up, or first', () => {
		expect(moveAfter(frames, 'c', 'up')).toBe('a');
		expect(moveAfter(frames, 'b', 'up')).toBeNull();
		expect(moveAfter(frames, 'a', 'up')).toBeUndefined();
	});

	it('ORD-2: moving down goes after the next frame; the last cannot move down', () => {
		expect(moveAfter(frames, 'a', 'down')).toBe('b');
		expect(moveAfter(frames, 'd', 'down')).toBeUndefined();
		expect(moveAfter(frames, 'zz', 'down')).toBeUndefined();
	});
});
