import { describe, expect, it } from 'vitest';
import { parseLiveMessage } from './liveMessage';

const at = '2026-11-26T08:00:00.000Z';
const event = (overrides: Record<string, unknown> = {}, row: Record<string, unknown> = { id: 3, progress: 40 }) =>
	JSON.stringify({ type: 'event', seq: 7, event: { id: 'projects:3:update:a', tenant: 'ferme-verte', entity: 'projects', op: 'update', at, row, ...overrides } });

describe('parseLiveMessage (a live room frame in the browser)', () => {
	it('LIVE-M1 reads hello, reset, revoked, auth-ok and events, with the frame’s seq on the event', () => {
		expect(parseLiveMessage('{"type":"auth-ok","expiresAt":1796667446000}')).toEqual({ type: 'auth-ok', expiresAt: 1796667446000 });
		expect(parseLiveMessage('{"type":"hello","room":"ferme-verte","seq":4}')).toEqual({ type: 'hello', room: 'ferme-verte', seq: 4 });
		expect(parseLiveMessage('{"type":"reset","seq":9,"reason":"too-old"}')).toEqual({ type: 'reset', seq: 9, reason: 'too-old' });
		expect(parseLiveMessage('{"type":"revoked","projectId":3}')).toEqual({ type: 'revoked', projectId: 3 });
		const activity = parseLiveMessage(event({ entity: 'activity', op: 'insert' }, { projectId: 3, kind: 'thread.opened', lane: 'client', actorName: 'Hery', summary: 'Le titre ?' }));
		expect(activity?.type === 'event' && activity.event.row).toEqual({ projectId: 3, kind: 'thread.opened', lane: 'client', actorName: 'Hery', summary: 'Le titre ?' });
		expect(parseLiveMessage(event())).toEqual({
			type: 'event',
			seq: 7,
			event: { seq: 7, id: 'projects:3:update:a', tenant: 'ferme-verte', entity: 'projects', op: 'update', at, row: { id: 3, progress: 40 } }
		});
	});

	it('LIVE-M2 drops malformed frames: unknown type, entity or op, negative or fractional seq, bad date, non-object row', () => {
		for (const text of [
			'nope',
			'[]',
			'{"type":"hello","room":"x","seq":-1}',
			'{"type":"hello","room":"x","seq":1.5}',
			'{"type":"reset","seq":1,"reason":"other"}',
			'{"type":"publish"}',
			'{"type":"auth-ok","expiresAt":"soon"}',
			event({ entity: 'users' }),
			event({ op: 'upsert' }),
			event({ at: 'yesterday' }),
			event({ tenant: 3 }),
			event({}, ['x'] as never)
		]) {
			expect(parseLiveMessage(text), text).toBeNull();
		}
	});

	it('LIVE-M3 keeps only flat, well-named fields of a row: never __proto__, objects or non-finite numbers', () => {
		const parsed = parseLiveMessage(event({}, { id: 3, title: 'Suivi', nested: { a: 1 }, list: [1], 'Bad-Key': 1, ok_flag: true, none: null }).replace('"id":3', '"__proto__":{"polluted":true},"id":3'));
		expect(parsed?.type === 'event' && parsed.event.row).toEqual({ id: 3, title: 'Suivi', ok_flag: true, none: null });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
