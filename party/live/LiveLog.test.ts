import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../shared/live/events';
import { LIVE_LOG_KEEP } from '../../shared/live/wire';
import { MemoryStorage } from '../storage/MemoryStorage';
import { LiveLog } from './LiveLog';
import { events, projectEvent } from './testKit';

async function readAll(log: LiveLog, after: number): Promise<LoggedEvent[]> {
	const out: LoggedEvent[] = [];
	for (let cursor = after; cursor < log.seq; ) {
		const page = await log.read(cursor, log.seq, 1000);
		if (page.length === 0) break;
		out.push(...page);
		cursor = page[page.length - 1]!.seq;
	}
	return out;
}

describe('LiveLog (the ordered, persisted event log of a live room)', () => {
	it('LOG-1 numbers events in arrival order from 1, and publishes them as they become readable', async () => {
		const published: number[] = [];
		const seqWhenPublished: number[] = [];
		const log: LiveLog = await LiveLog.open(new MemoryStorage(), {
			onCommit: (committed) => {
				published.push(...committed.map((e) => e.seq));
				seqWhenPublished.push(log.seq);
			}
		});
		const first = log.append(events(3, 'a'));
		const second = log.append(events(2, 'b'));
		expect(await first).toMatchObject({ duplicates: 0, seq: 3 });
		expect((await second).appended.map((e) => [e.seq, e.row.title])).toEqual([[4, 'Suivi b0'], [5, 'Suivi b1']]);
		expect(published).toEqual([1, 2, 3, 4, 5]);
		// Published in the same step as `seq` moves: a reader of `seq` can never be ahead of what was published.
		expect(seqWhenPublished).toEqual([3, 5]);
		expect((await readAll(log, 0)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
		expect((await log.read(2, 4, 10)).map((e) => e.seq)).toEqual([3, 4]);
	});

	it('LOG-2 drops an event whose id it holds, or that repeats within one delivery, and counts it', async () => {
		const log = await LiveLog.open(new MemoryStorage());
		await log.append(events(3, 'a'));
		const again = await log.append([...events(3, 'a'), projectEvent('new'), projectEvent('new')]);
		expect(again).toMatchObject({ duplicates: 4, seq: 4 });
		expect(again.appended.map((e) => e.id)).toEqual([projectEvent('new').id]);
	});

	it('LOG-3 tells where a since stands: ok within the log, ahead past its seq', async () => {
		const log = await LiveLog.open(new MemoryStorage());
		expect(log.position(0)).toBe('ok');
		expect(log.position(1)).toBe('ahead');
		await log.append(events(5));
		expect([log.position(0), log.position(5), log.position(6)]).toEqual(['ok', 'ok', 'ahead']);
	});

	it(`LOG-4 prunes in batches and always keeps at least the last ${LIVE_LOG_KEEP} events, with their ids`, async () => {
		const storage = new MemoryStorage();
		const log = await LiveLog.open(storage, { tailSize: 100 });
		for (let batch = 0; batch < 22; batch++) await log.append(events(500, `b${batch}-`));
		await log.idle();
		expect(log.seq).toBe(11_000);
		expect(log.first).toBe(11_000 - LIVE_LOG_KEEP + 1);
		expect(storage.keys().filter((k) => k.startsWith('log:e:'))).toHaveLength(LIVE_LOG_KEEP);
		expect(storage.keys().filter((k) => k.startsWith('log:i:'))).toHaveLength(LIVE_LOG_KEEP);
		expect(log.position(log.seq - LIVE_LOG_KEEP)).toBe('ok');
		expect(log.position(log.seq - LIVE_LOG_KEEP - 1)).toBe('too-old');
		const kept = await readAll(log, log.seq - LIVE_LOG_KEEP);
		expect(kept).toHaveLength(LIVE_LOG_KEEP);
		expect(kept.every((e, i) => e.seq === log.first + i)).toBe(true);
		// Between prunings the log grows past `keep` (by less than a batch), never shrinks below it.
		await log.append(events(499, 'late'));
		await log.idle();
		expect(log.first).toBe(11_000 - LIVE_LOG_KEEP + 1);
	});

	it('LOG-5 survives a reload from the same storage: same numbers, same events, same duplicate index', async () => {
		const storage = new MemoryStorage();
		const log = await LiveLog.open(storage);
		await log.append(events(4, 'a'));
		const reloaded = await LiveLog.open(storage.restart());
		expect([reloaded.seq, reloaded.first]).toEqual([4, 1]);
		expect(await readAll(reloaded, 0)).toEqual(await readAll(log, 0));
		const next = await reloaded.append([...events(2, 'a'), projectEvent('b')]);
		expect(next).toMatchObject({ duplicates: 2, seq: 5 });
		expect(next.appended[0]!.seq).toBe(5);
	});

	it('LOG-6 a failed write commits nothing: seq does not move, nothing is published, the retry gets the same numbers', async () => {
		const storage = new MemoryStorage();
		const published: number[] = [];
		const log = await LiveLog.open(storage, { onCommit: (committed) => published.push(...committed.map((e) => e.seq)) });
		await log.append(events(1, 'a'));
		storage.failNext(1, 'put');
		await expect(log.append(events(2, 'b'))).rejects.toThrow(/simulated put failure/);
		expect(log.seq).toBe(1);
		expect(published).toEqual([1]);
		expect((await log.append(events(2, 'b'))).appended.map((e) => e.seq)).toEqual([2, 3]);
	});

	it('LOG-7 writes a big delivery in puts of at most 128 keys (the Durable Object limit; MemoryStorage throws past it)', async () => {
		const storage = new MemoryStorage();
		const log = await LiveLog.open(storage);
		await log.append(events(500));
		expect(storage.operations.filter((op) => op.kind === 'put').every((op) => op.keys.length <= 128)).toBe(true);
		expect(log.seq).toBe(500);
	});

	it('LOG-8 refuses a log written by a newer server rather than misreading it', async () => {
		const storage = new MemoryStorage();
		await storage.put({ 'log:meta': { v: 2, seq: 4, first: 1 } });
		await expect(LiveLog.open(storage)).rejects.toThrow(/format 2/);
	});
});
