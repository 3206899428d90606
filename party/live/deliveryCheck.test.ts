import { describe, expect, it } from 'vitest';
import { DELIVERY_HEADERS, DELIVERY_LIMITS } from '../../shared/live/delivery';
import { checkDelivery, type IncomingDelivery } from './deliveryCheck';
import { BRIDGE, events, projectEvent, signed } from './testKit';

const now = Date.UTC(2026, 10, 26, 8, 0, 0);
const check = (delivery: IncomingDelivery, roomId = 'ferme-verte') => checkDelivery(delivery, { secret: BRIDGE, roomId, now });

describe('checkDelivery (what a delivery must be before the room looks at storage)', () => {
	it('DEL-1 accepts a delivery signed with BRIDGE_SECRET within five minutes, and returns its events', async () => {
		const delivery = await signed({ events: events(2) }, { timestamp: now - 60_000 });
		expect(await check(delivery)).toMatchObject({ ok: true, timestamp: now - 60_000, events: events(2) });
	});

	it('DEL-2 refuses an unsigned delivery, or one missing any signing header (401)', async () => {
		const delivery = await signed({ events: events(1) }, { timestamp: now });
		for (const header of Object.values(DELIVERY_HEADERS)) {
			const headers = new Headers(delivery.headerMap);
			headers.delete(header);
			expect(await check({ headers, body: delivery.body })).toMatchObject({ ok: false, status: 401 });
		}
		expect(await check({ headers: new Headers(), body: delivery.body })).toMatchObject({ ok: false, status: 401, error: expect.stringMatching(/unsigned/) });
	});

	it('DEL-3 refuses a delivery signed with another key, or whose body, id or time changed after signing (401)', async () => {
		const other = await signed({ events: events(1) }, { timestamp: now, secret: `${BRIDGE}-other` });
		expect(await check(other)).toMatchObject({ ok: false, status: 401, error: 'wrong signature' });
		const good = await signed({ events: events(1) }, { timestamp: now });
		expect(await check({ ...good, body: JSON.stringify({ events: events(2) }) })).toMatchObject({ ok: false, status: 401 });
		for (const [header, value] of [[DELIVERY_HEADERS.delivery, 'another-delivery-id'], [DELIVERY_HEADERS.timestamp, String(now - 1)]] as const) {
			expect(await check({ headers: new Headers({ ...good.headerMap, [header]: value }), body: good.body })).toMatchObject({ ok: false, status: 401 });
		}
	});

	it('DEL-4 refuses a delivery older or newer than five minutes, correctly signed or not (401)', async () => {
		const age = DELIVERY_LIMITS.maxAgeMs + 1;
		expect(await check(await signed({ events: events(1) }, { timestamp: now - age }))).toMatchObject({ ok: false, status: 401, error: expect.stringMatching(/stale/) });
		expect(await check(await signed({ events: events(1) }, { timestamp: now + age }))).toMatchObject({ ok: false, status: 401 });
	});

	it('DEL-5 refuses a body over 1 MiB (413), and refuses everything without a secret (500)', async () => {
		const delivery = await signed({ events: events(1) }, { timestamp: now });
		expect(await check({ ...delivery, body: null })).toMatchObject({ ok: false, status: 413 });
		expect(await checkDelivery(delivery, { secret: undefined, roomId: 'ferme-verte', now })).toMatchObject({ ok: false, status: 500 });
	});

	it('DEL-6 refuses signed bodies that are not JSON, not the schema, or hold an event over the value limit', async () => {
		expect(await check(await signed('not json', { timestamp: now }))).toMatchObject({ ok: false, status: 400 });
		expect(await check(await signed({ events: [] }, { timestamp: now }))).toMatchObject({ ok: false, status: 400 });
		expect(await check(await signed({ events: events(1), extra: 1 }, { timestamp: now }))).toMatchObject({ ok: false, status: 400 });
		// A `__proto__` field is dropped, never turned into a prototype.
		const proto = await check(await signed(`{"events":[${JSON.stringify(projectEvent(1)).replace('"row":{', '"row":{"__proto__":{"polluted":1},')}]}`, { timestamp: now }));
		expect(proto.ok).toBe(true);
		expect(proto.ok && Object.hasOwn(proto.events[0]!.row, '__proto__')).toBe(false);
		expect(proto.ok && Object.getPrototypeOf(proto.events[0]!.row)).toBe(Object.prototype);
		const long = 'x'.repeat(9_000);
		const huge = projectEvent(1, {}, Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, long])));
		expect(await check(await signed({ events: [huge] }, { timestamp: now }))).toMatchObject({ ok: false, status: 413 });
	});

	it('DEL-7 a tenant room takes its own tenant’s events only; fataplus takes every tenant’s and untenanted ones (400 otherwise)', async () => {
		const mixed = await signed({ events: [projectEvent(1), projectEvent(2, { tenant: 'atelier-sud' })] }, { timestamp: now });
		expect(await check(mixed)).toMatchObject({ ok: false, status: 400, error: expect.stringMatching(/not of tenant ferme-verte/) });
		const lead = await signed({ events: [{ ...projectEvent(3), entity: 'leads', tenant: null }] }, { timestamp: now });
		expect(await check(lead)).toMatchObject({ ok: false, status: 400 });
		expect(await check(mixed, 'fataplus')).toMatchObject({ ok: true });
		expect(await check(lead, 'fataplus')).toMatchObject({ ok: true });
		// A reserved slug is no tenant, even for the staff room.
		expect(await check(await signed({ events: [projectEvent(4, { tenant: 'fataplus' })] }, { timestamp: now }), 'fataplus')).toMatchObject({ ok: false, status: 400 });
	});
});
