import { describe, expect, it } from 'vitest';
import { cursorsOn, throttle, userIdsOn } from './cursors';

const user = (userId: string) => ({ userId, name: `U${userId}`, role: 'client' as const, color: '#0072b2' });

describe('cursorsOn', () => {
	it('CUR-1: lists the valid cursors of others on this frame', () => {
		const people = [
			{ clientId: 1, user: user('1'), fields: { cursor: { frameId: 'f', x: 0.5, y: 0.2 } } },
			{ clientId: 2, user: user('2'), fields: { cursor: { frameId: 'g', x: 0.5, y: 0.2 } } },
			{ clientId: 3, user: user('3'), fields: { cursor: { frameId: 'f', x: 2, y: 0.2 } } },
			{ clientId: 4, user: user('4'), fields: { cursor: null } },
			{ clientId: 5, user: user('5'), fields: { cursor: { frameId: 'f', x: 0.1, y: 0.9 } } }
		];
		expect(cursorsOn(people, 'f', 5)).toEqual([{ clientId: 1, user: user('1'), x: 0.5, y: 0.2 }]);
		expect([...userIdsOn(people, 'f')].sort()).toEqual(['1', '3', '5']);
	});
});

describe('throttle', () => {
	function fakeClock() {
		let now = 0;
		const timers: Array<{ at: number; run: () => void }> = [];
		return {
			clock: {
				now: () => now,
				set: (run: () => void, ms: number) => {
					const timer = { at: now + ms, run };
					timers.push(timer);
					return timer;
				},
				clear: (timer: unknown) => void timers.splice(timers.indexOf(timer as (typeof timers)[number]), 1)
			},
			advance(ms: number) {
				now += ms;
				for (const timer of timers.filter((t) => t.at <= now)) timers.splice(timers.indexOf(timer), 1), timer.run();
			}
		};
	}

	it('CUR-2: runs at once, then at most once per window with the latest arguments', () => {
		const { clock, advance } = fakeClock();
		const calls: number[] = [];
		const send = throttle((n: number) => calls.push(n), 50, clock);
		send(1);
		send(2);
		send(3);
		expect(calls).toEqual([1]);
		advance(50);
		expect(calls).toEqual([1, 3]);
		advance(100);
		send(4);
		expect(calls).toEqual([1, 3, 4]);
	});

	it('CUR-3: cancel drops the trailing call', () => {
		const { clock, advance } = fakeClock();
		const calls: number[] = [];
		const send = throttle((n: number) => calls.push(n), 50, clock);
		send(1);
		send(2);
		send.cancel();
		advance(100);
		expect(calls).toEqual([1]);
	});
});
