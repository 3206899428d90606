import { describe, expect, it } from 'vitest';
import { ACTORS, reviewHarness } from './testKit';

const { designer, admin, editor, viewer, client } = ACTORS;
const frame = (name: string, extra: Record<string, unknown> = {}) => ({ type: 'frame.add' as const, name, width: 1440, height: 900, ...extra });
const names = (r: ReturnType<typeof reviewHarness>) => r.view(designer).frames.map((f) => f.name);

describe('frames', () => {
	it('adds frames at the end or after another, stamped with author and time', () => {
		const r = reviewHarness();
		const a = r.ok(designer, frame('A', { figmaNodeId: '1:2', page: 'Web', image: { kind: 'url', url: 'https://x.mg/a.png' } }));
		r.ok(designer, frame('C'));
		r.ok(admin, frame('B', { afterFrameId: a }));
		expect(names(r)).toEqual(['A', 'B', 'C']);
		expect(r.view(client).frames[0]).toMatchObject({
			id: a, name: 'A', figmaNodeId: '1:2', page: 'Web', width: 1440, height: 900, image: { kind: 'url', url: 'https://x.mg/a.png' },
			archived: false, createdBy: { userId: designer.userId, name: designer.name }, createdAt: '2026-11-26T09:00:00.000Z'
		});
		expect(r.view(designer).frames[1]).toMatchObject({ figmaNodeId: null, page: null, image: null });
	});

	it('renames, moves first, moves after another', () => {
		const r = reviewHarness();
		const a = r.ok(designer, frame('A'));
		const b = r.ok(designer, frame('B'));
		const c = r.ok(designer, frame('C'));
		r.ok(designer, { type: 'frame.move', frameId: c, afterFrameId: null });
		expect(names(r)).toEqual(['C', 'A', 'B']);
		r.ok(designer, { type: 'frame.move', frameId: c, afterFrameId: a });
		expect(names(r)).toEqual(['A', 'C', 'B']);
		r.ok(designer, { type: 'frame.move', frameId: a, afterFrameId: b });
		expect(names(r)).toEqual(['C', 'B', 'A']);
		r.ok(designer, { type: 'frame.rename', frameId: b, name: 'Bis' });
		expect(names(r)).toEqual(['C', 'Bis', 'A']);
	});

	it('lists archived frames after the active ones, and archiving twice changes nothing', () => {
		const r = reviewHarness();
		const a = r.ok(designer, frame('A'));
		r.ok(designer, frame('B'));
		expect(r.run(designer, { type: 'frame.archive', frameId: a, archived: true })).toMatchObject({ ok: true, effects: { lanes: ['client'] } });
		expect(r.view(client).frames.map((f) => [f.name, f.archived])).toEqual([['B', false], ['A', true]]);
		expect(r.run(designer, { type: 'frame.archive', frameId: a, archived: true })).toMatchObject({ ok: true, effects: { lanes: [] } });
		r.ok(designer, { type: 'frame.archive', frameId: a, archived: false });
		expect(names(r)).toEqual(['A', 'B']);
	});

	it('refuses frame management to partners and clients', () => {
		const r = reviewHarness();
		const a = r.ok(designer, frame('A'));
		for (const who of [editor, viewer, client]) {
			for (const command of [frame('X'), { type: 'frame.rename', frameId: a, name: 'X' }, { type: 'frame.move', frameId: a, afterFrameId: null }, { type: 'frame.archive', frameId: a, archived: true }]) {
				expect(r.run(who, command)).toMatchObject({ ok: false, code: 'forbidden' });
			}
		}
		expect(names(r)).toEqual(['A']);
	});

	it('refuses unknown frames and a frame placed after itself', () => {
		const r = reviewHarness();
		const a = r.ok(designer, frame('A'));
		expect(r.run(designer, frame('B', { afterFrameId: 'nope' }))).toMatchObject({ ok: false, code: 'not_found' });
		expect(r.run(designer, { type: 'frame.rename', frameId: 'nope', name: 'X' })).toMatchObject({ ok: false, code: 'not_found' });
		expect(r.run(designer, { type: 'frame.move', frameId: 'nope', afterFrameId: null })).toMatchObject({ ok: false, code: 'not_found' });
		expect(r.run(designer, { type: 'frame.move', frameId: a, afterFrameId: 'nope' })).toMatchObject({ ok: false, code: 'not_found' });
		expect(r.run(designer, { type: 'frame.move', frameId: a, afterFrameId: a })).toMatchObject({ ok: false, code: 'invalid' });
		expect(r.run(designer, { type: 'frame.archive', frameId: 'nope', archived: true })).toMatchObject({ ok: false, code: 'not_found' });
	});

	it('keeps frames in the client document only', () => {
		const r = reviewHarness();
		r.ok(designer, frame('A'));
		expect(r.docs.client.getMap('frames').size).toBe(1);
		expect(r.docs.internal.getMap('frames').size).toBe(0);
	});
});
