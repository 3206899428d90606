import { describe, expect, it } from 'vitest';
import { createRoomTokenSource, createTicketKeeper, parseRoomUrl, renewDelay, requestRoomTicket } from './roomToken';

const json = (status: number, body: unknown) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('requestRoomTicket', () => {
	it('RT-1: returns the ticket, or the status and error', async () => {
		const ticket = { token: 't', expiresAt: 1000, url: 'ws://localhost:1999/ws/project/a.1' };
		let asked = '';
		const ok = await requestRoomTicket('ferme-verte.1', (async (url: string) => ((asked = url), json(200, ticket))) as typeof fetch);
		expect(asked).toBe('/api/rooms/token?room=ferme-verte.1');
		expect(ok).toEqual({ ok: true, ticket });
		expect(await requestRoomTicket('x', (async () => json(403, { error: 'non' })) as typeof fetch)).toEqual({ ok: false, status: 403, error: 'non' });
		expect(await requestRoomTicket('x', (async () => { throw new TypeError('offline'); }) as typeof fetch)).toEqual({ ok: false, status: 0, error: 'offline' });
	});
});

describe('renewDelay', () => {
	it('RT-2: renews ROOM_TOKEN_RENEW_BEFORE_SECONDS (30 s) before expiry, never sooner than 5 s from now', () => {
		expect(renewDelay(600_000, 0)).toBe(570_000);
		expect(renewDelay(30_000, 0)).toBe(5_000);
	});
});

describe('parseRoomUrl', () => {
	it('RT-3: accepts only a ws(s) room URL', () => {
		expect(parseRoomUrl('ws://localhost:1999/ws/project/ferme-verte.12')).toEqual({
			host: 'localhost:1999', protocol: 'ws', party: 'project', room: 'ferme-verte.12'
		});
		expect(parseRoomUrl('wss://rooms.fata.plus/ws/live/ferme-verte')).toMatchObject({ protocol: 'wss', host: 'rooms.fata.plus' });
		expect(parseRoomUrl('https://rooms.fata.plus/ws/project/a.1')).toBeNull();
		expect(parseRoomUrl('ws://x/other/path')).toBeNull();
		expect(parseRoomUrl('nonsense')).toBeNull();
	});
});

describe('createTicketKeeper', () => {
	function harness(answers: Array<() => Response>) {
		let clock = 0;
		const timers: Array<{ run: () => void; at: number }> = [];
		let calls = 0;
		const denied: unknown[] = [];
		const keeper = createTicketKeeper('ferme-verte.1', {
			fetch: (async () => answers[Math.min(calls++, answers.length - 1)]!()) as typeof fetch,
			now: () => clock,
			setTimer: (run, ms) => {
				const timer = { run, at: clock + ms };
				timers.push(timer);
				return timer;
			},
			clearTimer: (timer) => timers.splice(timers.indexOf(timer as (typeof timers)[number]), 1),
			onDenied: (result) => denied.push(result)
		});
		/** Moves the clock to the next timer and runs it. */
		const tick = async () => {
			timers.sort((a, b) => a.at - b.at);
			const next = timers.shift();
			if (!next) return false;
			clock = next.at;
			next.run();
			await new Promise((r) => setTimeout(r, 0));
			return true;
		};
		return { keeper, tick, denied, calls: () => calls, timers, clock: () => clock };
	}
	const ticket = (expiresAt: number, token = `t${expiresAt}`) => () =>
		json(200, { token, expiresAt, url: 'ws://localhost:1999/ws/project/ferme-verte.1' });

	it('RT-5: renews 30 s before expiry, again and again', async () => {
		const h = harness([ticket(600_000), ticket(1_200_000), ticket(1_800_000)]);
		await h.keeper.refresh();
		expect(h.keeper.current()?.token).toBe('t600000');
		expect(h.timers[0]!.at).toBe(570_000);
		await h.tick();
		expect(h.clock()).toBe(570_000);
		expect(h.keeper.current()?.token).toBe('t1200000');
		await h.tick();
		expect(h.keeper.current()?.token).toBe('t1800000');
		expect(h.calls()).toBe(3);
	});

	it('RT-6: retries after a network failure and keeps the old ticket meanwhile', async () => {
		const h = harness([ticket(600_000), () => { throw new TypeError('offline'); }, ticket(1_200_000)]);
		await h.keeper.refresh();
		await h.tick();
		expect(h.keeper.current()?.token).toBe('t600000');
		expect(h.timers[0]!.at).toBe(580_000);
		await h.tick();
		expect(h.keeper.current()?.token).toBe('t1200000');
	});

	it('RT-7: stops and reports a refusal', async () => {
		const h = harness([ticket(600_000), () => json(403, { error: 'révoqué' })]);
		await h.keeper.refresh();
		await h.tick();
		expect(h.denied).toEqual([{ status: 403, error: 'révoqué' }]);
		expect(h.timers).toHaveLength(0);
	});

	it('RT-8: fresh() reuses a ticket with time left and shares one request between callers', async () => {
		const h = harness([ticket(600_000), ticket(1_200_000)]);
		const [a, b] = await Promise.all([h.keeper.fresh(), h.keeper.fresh()]);
		expect(a).toEqual(b);
		expect(h.calls()).toBe(1);
		await h.keeper.fresh();
		expect(h.calls()).toBe(1);
	});
});

describe('createRoomTokenSource', () => {
	const url = 'ws://localhost:1999/ws/project/ferme-verte.1';
	function source(answers: Array<() => Response>, clock = { now: 0 }) {
		let calls = 0;
		const tokens = createRoomTokenSource('ferme-verte.1', {
			fetch: (async () => answers[Math.min(calls++, answers.length - 1)]!()) as typeof fetch,
			now: () => clock.now
		});
		return { tokens, calls: () => calls, clock };
	}

	it('RT-9: reuses the first ticket for the first connection, then fetches one per call', async () => {
		const s = source([() => json(200, { token: 'a', expiresAt: 60_000, url }), () => json(200, { token: 'b', expiresAt: 90_000, url })]);
		expect(await s.tokens.start()).toMatchObject({ ok: true, ticket: { url } });
		expect(await s.tokens.getToken()).toEqual({ ok: true, token: 'a', expiresAt: 60_000 });
		expect(await s.tokens.getToken()).toEqual({ ok: true, token: 'b', expiresAt: 90_000 });
		expect(s.calls()).toBe(2);
	});

	it('RT-10: does not reuse a first ticket about to expire', async () => {
		const s = source([() => json(200, { token: 'a', expiresAt: 60_000, url }), () => json(200, { token: 'b', expiresAt: 120_000, url })]);
		await s.tokens.start();
		s.clock.now = 30_000;
		expect(await s.tokens.getToken()).toMatchObject({ token: 'b' });
	});

	it('RT-11: remembers a refusal and keeps answering with it; a network failure is not one', async () => {
		const s = source([() => { throw new TypeError('offline'); }, () => json(401, { error: 'signed out' })]);
		expect(await s.tokens.getToken()).toEqual({ ok: false, status: 0, error: 'offline' });
		expect(s.tokens.denial()).toBeNull();
		expect(await s.tokens.getToken()).toEqual({ ok: false, status: 401, error: 'signed out' });
		expect(s.tokens.denial()).toEqual({ status: 401, error: 'signed out' });
		expect(await s.tokens.getToken()).toEqual({ ok: false, status: 401, error: 'signed out' });
		expect(s.calls()).toBe(2);
	});
});
