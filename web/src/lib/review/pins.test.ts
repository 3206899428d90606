import { describe, expect, it } from 'vitest';
import { clamp01, nudgePoint, percent, pointInBox, popoverSide } from './pins';

describe('pointInBox', () => {
	const box = { left: 100, top: 50, width: 400, height: 200 };

	it('PIN-1: maps a click to frame-relative 0..1 coordinates', () => {
		expect(pointInBox(box, 300, 100)).toEqual({ x: 0.5, y: 0.25 });
		expect(pointInBox(box, 100, 50)).toEqual({ x: 0, y: 0 });
		expect(pointInBox(box, 500, 250)).toEqual({ x: 1, y: 1 });
		expect(pointInBox(box, 233.3333, 50)).toEqual({ x: 0.3333, y: 0 });
	});

	it('PIN-2: is null outside the frame or for an empty box', () => {
		expect(pointInBox(box, 99, 100)).toBeNull();
		expect(pointInBox(box, 300, 251)).toBeNull();
		expect(pointInBox({ ...box, width: 0 }, 100, 50)).toBeNull();
	});
});

describe('nudgePoint', () => {
	it('PIN-3: moves with arrow keys, faster with Shift, and stays inside', () => {
		expect(nudgePoint({ x: 0.5, y: 0.5 }, 'ArrowRight')).toEqual({ x: 0.52, y: 0.5 });
		expect(nudgePoint({ x: 0.5, y: 0.5 }, 'ArrowUp', true)).toEqual({ x: 0.5, y: 0.4 });
		expect(nudgePoint({ x: 0.01, y: 0.5 }, 'ArrowLeft')).toEqual({ x: 0, y: 0.5 });
		expect(nudgePoint({ x: 0.5, y: 0.5 }, 'Enter')).toBeNull();
	});
});

describe('popoverSide / percent / clamp01', () => {
	it('PIN-4: opens the composer towards the middle of the frame', () => {
		expect(popoverSide({ x: 0.9, y: 0.9 })).toEqual({ horizontal: 'left', vertical: 'above' });
		expect(popoverSide({ x: 0.1, y: 0.1 })).toEqual({ horizontal: 'right', vertical: 'below' });
	});

	it('writes percentages and clamps', () => {
		expect(percent(0.12345)).toBe('12.345%');
		expect(percent(2)).toBe('100%');
		expect(clamp01(Number.NaN)).toBe(0);
	});
});
