import { describe, expect, it } from 'vitest';
import { readConnectQuery } from './connectQuery';

const at = (query: string) => readConnectQuery(`ws://rooms.test/ws/live/ferme-verte?token=t&${query}`);

describe('readConnectQuery (a watcher’s v and since)', () => {
	it('HARDEN-LIVE-1 accepts v=1 with a sequence number or no since, and refuses a wrong v or a malformed since with a clear error', () => {
		expect(at('v=1')).toEqual({ ok: true, since: null });
		expect(at('v=1&since=0')).toEqual({ ok: true, since: 0 });
		expect(at('v=1&since=42')).toEqual({ ok: true, since: 42 });
		for (const query of ['since=0', 'v=2', 'v=', 'v=1.0']) expect(at(query)).toEqual({ ok: false, error: 'protocol 1 required: reload the page' });
		for (const query of ['v=1&since=', 'v=1&since=-1', 'v=1&since=%20', 'v=1&since=1e3', 'v=1&since=99999999999999999']) {
			expect(at(query)).toEqual({ ok: false, error: 'since must be a sequence number' });
		}
	});
});
