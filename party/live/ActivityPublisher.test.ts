import { describe, expect, it } from 'vitest';
import { DELIVERY_HEADERS } from '../../shared/live/delivery';
import type { LiveEvent } from '../../shared/live/events';
import { ActivityPublisher } from './ActivityPublisher';
import { checkDelivery } from './deliveryCheck';
import { AT, BRIDGE } from './testKit';

const event = (n: number): LiveEvent => ({
	id: `activity:ferme-verte.3:t${n}`, tenant: 'ferme-verte', entity: 'activity', op: 'insert', at: AT,
	row: { projectId: 3, kind: 'thread.opened', lane: 'client', actorName: 'Hery', summary: `s${n}` }
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
});
