import { describe, expect, it, vi } from 'vitest';
import { DELIVERY_HEADERS } from '../../shared/live/delivery';
import type { LiveEvent } from '../../shared/live/events';
import { ActivityPublisher } from './ActivityPublisher';
import { checkDelivery } from './deliveryCheck';
import { AT, BRIDGE } from './testKit';

const event = (n: number, actorName = `Personne ${n}`, lane: 'client' | 'internal' = 'client'): LiveEvent => ({
	id: `activity:ferme-verte.3:t${n}`, tenant: 'ferme-verte', entity: 'activity', op: 'insert', at: AT,
	row: { projectId: 3, kind: 'thread.opened', lane, actorName, summary: `s${n}` }
});

function recorder(statuses: Array<number | Error> = []) {
	const posts: Array<{ room: string; body: string; headers: Record<string, string> }> = [];
	const post = async (room: string, request: { body: string; headers: Record<string, string> }) => {
		posts.push({ room, ...request });
		const next = statuses.shift() ?? 200;
		if (next instanceof Error) throw next;
		return { status: next };
	};
	return { posts, post };
}

describe('ActivityPublisher (project room → live rooms)', () => {
	it('PUB-1 sends one signed delivery per room for a burst, which the live room’s checks accept', async () => {
		const { posts, post } = recorder();
		const publisher = new ActivityPublisher({ rooms: ['ferme-verte', 'fataplus'], secret: BRIDGE, post });
		publisher.publish(event(1));
		publisher.publish(event(2));
		await publisher.idle();
		// One delivery per room (the rooms' deliveries run side by side, so in either order).
		expect(posts.map((p) => p.room).sort()).toEqual(['fataplus', 'ferme-verte']);
		for (const p of posts) {
			const checked = await checkDelivery({ headers: new Headers(p.headers), body: p.body }, { secret: BRIDGE, roomId: p.room });
			expect(checked).toMatchObject({ ok: true, events: [event(1), event(2)] });
		}
	});

	it('PUB-2 retries a failed delivery with a fresh delivery id and the same events, then carries on in order', async () => {
		const { posts, post } = recorder([503, new Error('network down'), 200]);
		const publisher = new ActivityPublisher({ rooms: ['ferme-verte'], secret: BRIDGE, post, sleep: async () => {} });
		publisher.publish(event(1));
		await publisher.idle();
		publisher.publish(event(2));
		await publisher.idle();
		expect(posts).toHaveLength(4);
		expect(new Set(posts.map((p) => p.headers[DELIVERY_HEADERS.delivery])).size).toBe(4);
		expect(posts.slice(0, 3).every((p) => p.body === posts[0]!.body)).toBe(true);
		expect(JSON.parse(posts[3]!.body).events).toEqual([event(2)]);
	});

	it('PUB-3 gives up after the last retry, and never retries what the room refused as such (400)', async () => {
		const logged: string[] = [];
		const { posts, post } = recorder([500, 500, 400]);
		const publisher = new ActivityPublisher({ rooms: ['ferme-verte'], secret: BRIDGE, post, sleep: async () => {}, retryDelaysMs: [1], log: (m) => logged.push(m) });
		publisher.publish(event(1));
		await publisher.idle();
		publisher.publish(event(2));
		await publisher.idle();
		expect(posts).toHaveLength(3);
		expect(logged).toEqual([expect.stringMatching(/dropped after 2 attempts/), expect.stringMatching(/refused 1 activity events \(400\)/)]);
	});

	it('PUB-4 folds one person’s burst of threads per lane into one event with a count, which the live room accepts; other people and lanes stay apart', async () => {
		const { posts, post } = recorder();
		const publisher = new ActivityPublisher({ rooms: ['ferme-verte'], secret: BRIDGE, post });
		for (let n = 1; n <= 5; n++) publisher.publish(event(n, 'Hery'));
		publisher.publish(event(6, 'Hery', 'internal'));
		publisher.publish(event(7, 'Fara'));
		await publisher.idle();
		expect(posts).toHaveLength(1);
		const checked = await checkDelivery({ headers: new Headers(posts[0]!.headers), body: posts[0]!.body }, { secret: BRIDGE, roomId: 'ferme-verte' });
		if (!checked.ok) throw new Error(checked.error);
		expect(checked.events.map((e) => [e.row.actorName, e.row.lane, e.row.count ?? 1, e.row.summary])).toEqual([
			['Hery', 'client', 5, 's1'],
			['Hery', 'internal', 1, 's6'],
			['Fara', 'client', 1, 's7']
		]);
		// The internal thread's words never ride in the client-lane line.
		expect(JSON.stringify(checked.events[0])).not.toContain('s6');
		// Stable for a retry of the same batch: the id comes from the first event.
		expect(checked.events[0]!.id).toBe('activity:ferme-verte.3:t1.x5');
	});

	it('PUB-5 under a stream of events starts deliveries to a room at least spacingMs apart, every event once and in order, woken by the events rather than by a timer', async () => {
		let clock = 1_000;
		// Timers are recorded and fired only at the end: under a stream of commands a project room in workerd did not
		// get its timers fired, so the events themselves must move the pump on.
		const timers: Array<() => void> = [];
		const { posts, post } = recorder();
		const publisher = new ActivityPublisher({
			rooms: ['ferme-verte'], secret: BRIDGE, spacingMs: 50, now: () => clock, post,
			sleep: () => new Promise<void>((fire) => timers.push(fire))
		});
		// One event every 5 ms of the clock, each from someone else (so nothing folds).
		for (let n = 1; n <= 40; n++) {
			publisher.publish(event(n));
			await new Promise((resolve) => setTimeout(resolve, 2));
			clock += 5;
		}
		const beforeAnyTimer = posts.length;
		for (const fire of timers) fire();
		await publisher.idle();
		const delivered = posts.map((p) => (JSON.parse(p.body) as { events: LiveEvent[] }).events.map((e) => e.row.summary));
		expect(delivered.flat()).toEqual(Array.from({ length: 40 }, (_, i) => `s${i + 1}`));
		// When each delivery started: its signed timestamp.
		const starts = posts.map((p) => Number(p.headers[DELIVERY_HEADERS.timestamp]));
		expect(starts[0]).toBe(1_000); // the first at once
		for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(50);
		expect(beforeAnyTimer).toBeGreaterThanOrEqual(3); // 200 ms of stream: a delivery every 50 ms without a timer
		expect(posts.length).toBeLessThanOrEqual(5); // not one per event
	});

	it('PUB-6 after a stream stops, the last events go when the spacing ends; after a quiet spell the next event goes at once', async () => {
		let clock = 1_000;
		const timers: Array<{ at: number; fire: () => void }> = [];
		const { posts, post } = recorder();
		const publisher = new ActivityPublisher({
			rooms: ['ferme-verte'], secret: BRIDGE, spacingMs: 50, now: () => clock, post,
			sleep: (ms) => new Promise<void>((fire) => timers.push({ at: clock + ms, fire }))
		});
		publisher.publish(event(1));
		await publisher.idle();
		clock += 10;
		publisher.publish(event(2)); // within the spacing, and nothing comes after it
		await vi.waitFor(() => expect(timers.map((t) => t.at)).toEqual([1_050]));
		expect(posts).toHaveLength(1);
		clock = 1_050;
		timers[0]!.fire();
		await publisher.idle();
		expect(posts.map((p) => (JSON.parse(p.body) as { events: LiveEvent[] }).events.map((e) => e.row.summary))).toEqual([['s1'], ['s2']]);
		clock += 60;
		publisher.publish(event(3));
		await publisher.idle();
		expect(posts).toHaveLength(3);
		expect(timers).toHaveLength(1); // no wait for the first event after a quiet spell
	});
});
