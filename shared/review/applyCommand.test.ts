import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyCommand, pruneAppliedCommands } from './applyCommand';
import { isReviewOrigin, type ReviewOrigin } from './outcome';
import { ACTORS, MEMBERS, newDocs, reviewHarness, stamps } from './testKit';

const { designer, client, client2, editor, unshared } = ACTORS;

describe('applyCommand', () => {
	it('refuses a malformed command, or one with a smuggled author, without writing', () => {
		const r = reviewHarness();
		const frameId = r.ok(designer, { type: 'frame.add', name: 'A', width: 1, height: 1 });
		const before = Y.encodeStateVector(r.docs.client);
		const create = { type: 'thread.create', lane: 'client', frameId, anchor: { kind: 'frame' }, mentions: [] };
		expect(r.run(client, { ...create, body: 'x'.repeat(10_001) })).toMatchObject({ ok: false, code: 'invalid' });
		const smuggled = r.run(client, { ...create, body: 'Bonjour', author: { userId: 'u-admin', name: 'Admin', role: 'admin' } });
		expect(smuggled).toMatchObject({ ok: false, code: 'invalid' });
		expect(smuggled.ok || smuggled.message).toContain('author');
		expect(applyCommand(r.docs, null, stamps()(client))).toMatchObject({ ok: false, code: 'invalid' });
		expect(applyCommand(r.docs, 'thread.create', stamps()(client))).toMatchObject({ ok: false, code: 'invalid' });
		expect(Y.encodeStateVector(r.docs.client)).toEqual(before);
	});

	it('applies a retried command once and answers the retry with the same effects', () => {
		const docs = newDocs();
		const stamp = stamps();
		const frame = applyCommand(docs, { type: 'frame.add', commandId: 'f', name: 'A', width: 1, height: 1 }, stamp(designer));
		const frameId = frame.ok ? frame.effects.created[0]!.id : '';
		const command = { type: 'thread.create', commandId: 'same', lane: 'client', frameId, anchor: { kind: 'frame' }, body: 'Une fois', mentions: [] };
		const first = applyCommand(docs, command, stamp(client), MEMBERS);
		const retry = applyCommand(docs, command, stamp(client), MEMBERS);
		expect(first).toMatchObject({ ok: true, duplicate: false });
		expect(retry).toEqual({ ...first, duplicate: true });
		expect(docs.client.getMap('threads').size).toBe(1);
		// Command ids are per person: another client's command with the same id is its own command.
		expect(applyCommand(docs, command, stamp(client2), MEMBERS)).toMatchObject({ ok: true, duplicate: false });
		expect(docs.client.getMap('threads').size).toBe(2);
		// A retried resolve is a duplicate, not a conflict.
		const threadId = first.ok ? first.effects.created[0]!.id : '';
		const resolve = { type: 'thread.resolve', commandId: 'r1', threadId };
		expect(applyCommand(docs, resolve, stamp(designer))).toMatchObject({ ok: true, duplicate: false });
		expect(applyCommand(docs, resolve, stamp(designer))).toMatchObject({ ok: true, duplicate: true });
	});

	it('does not record a refused command, so its retry is judged again', () => {
		const docs = newDocs();
		const stamp = stamps();
		const add = { type: 'frame.add', commandId: 'a1', name: 'A', width: 1, height: 1, afterFrameId: 'later' };
		expect(applyCommand(docs, add, stamp(designer))).toMatchObject({ ok: false, code: 'not_found' });
		applyCommand(docs, { type: 'frame.add', commandId: 'a0', name: 'Z', width: 1, height: 1 }, { ...stamp(designer), newId: () => 'later' });
		expect(applyCommand(docs, add, stamp(designer))).toMatchObject({ ok: true, duplicate: false });
	});

	it('records applied commands in the ledger, never in the lane documents, so the client document holds no trace of internal work', () => {
		const r = reviewHarness();
		const frameId = r.ok(designer, { type: 'frame.add', name: 'A', width: 1, height: 1 });
		r.run(designer, { commandId: 'internal-cmd', type: 'thread.create', lane: 'internal', frameId, anchor: { kind: 'frame' }, body: 'x', mentions: [] });
		expect([...r.docs.client.getMap('applied').keys()]).toEqual([]);
		expect([...r.docs.internal.getMap('applied').keys()]).toEqual([]);
		expect(new TextDecoder().decode(Y.encodeStateAsUpdate(r.docs.client))).not.toContain('internal-cmd');
		expect([...r.docs.ledger.getMap('applied').keys()].sort()).toEqual([`${designer.userId}/cmd1`, `${designer.userId}/internal-cmd`]);
		// A record holds what a retry answers and when, nothing more.
		expect(JSON.parse(r.docs.ledger.getMap('applied').get(`${designer.userId}/cmd1`) as string)).toEqual({
			at: '2026-11-26T09:00:00.000Z', lanes: ['client'], created: [{ kind: 'frame', id: frameId }], mentioned: []
		});
	});

	it('records the command right after its lane write, with the same origin', () => {
		const docs = newDocs();
		const seen: string[] = [];
		docs.client.on('update', () => seen.push('client'));
		docs.ledger.on('update', (_: Uint8Array, origin: unknown) => seen.push(isReviewOrigin(origin) ? `ledger ${origin.commandId}` : 'ledger ?'));
		applyCommand(docs, { type: 'frame.add', commandId: 'c1', name: 'A', width: 1, height: 1 }, stamps()(designer));
		expect(seen).toEqual(['client', 'ledger c1']);
	});

	it('without a ledger, records nothing and applies a retried command again', () => {
		const { client: clientDoc, internal } = newDocs();
		const stamp = stamps();
		const add = { type: 'frame.add', commandId: 'same', name: 'A', width: 1, height: 1 };
		expect(applyCommand({ client: clientDoc, internal }, add, stamp(designer))).toMatchObject({ ok: true, duplicate: false });
		expect(applyCommand({ client: clientDoc, internal }, add, stamp(designer))).toMatchObject({ ok: true, duplicate: false });
		expect(clientDoc.getMap('frames').size).toBe(2);
		expect(clientDoc.getMap('applied').size).toBe(0);
	});

	it('prunes applied-command records older than a given time', () => {
		const docs = newDocs();
		const stamp = stamps();
		for (const commandId of ['c1', 'c2', 'c3']) applyCommand(docs, { type: 'frame.add', commandId, name: 'A', width: 1, height: 1 }, stamp(designer));
		expect(pruneAppliedCommands(docs.ledger, '2026-11-26T09:00:02.000Z')).toBe(2);
		expect([...docs.ledger.getMap('applied').keys()]).toEqual([`${designer.userId}/c3`]);
		expect(pruneAppliedCommands(docs.ledger, '2026-11-26T09:00:02.000Z')).toBe(0);
	});

	it('writes with an origin naming the command, the verified actor and the server time', () => {
		const docs = newDocs();
		const origins: unknown[] = [];
		docs.client.on('afterTransaction', (tr) => origins.push(tr.origin));
		applyCommand(docs, { type: 'frame.add', commandId: 'c7', name: 'A', width: 1, height: 1 }, { actor: designer, at: '2026-11-26T10:00:00.000Z', newId: () => 'f1' });
		const mine = origins.filter(isReviewOrigin);
		expect(mine).toEqual([{ source: 'review-command', commandId: 'c7', userId: designer.userId, at: '2026-11-26T10:00:00.000Z' } satisfies ReviewOrigin]);
	});

	it('gives a partner without a share nothing: forbidden to write, nothing found to read', () => {
		const r = reviewHarness();
		const frameId = r.ok(designer, { type: 'frame.add', name: 'A', width: 1, height: 1 });
		const threadId = r.ok(designer, { type: 'thread.create', lane: 'client', frameId, anchor: { kind: 'frame' }, body: 'x', mentions: [] });
		expect(r.run(unshared, { type: 'thread.create', lane: 'client', frameId, anchor: { kind: 'frame' }, body: 'x', mentions: [] })).toMatchObject({ ok: false, code: 'forbidden' });
		expect(r.run(unshared, { type: 'thread.reply', threadId, body: 'x', mentions: [] })).toMatchObject({ ok: false, code: 'not_found' });
		expect(r.view(unshared)).toMatchObject({ lanes: [], frames: [], threads: [] });
	});

	it('throws on a caller bug: a malformed stamp, an id generator returning junk, documents newer than this code', () => {
		const docs = newDocs();
		const add = { type: 'frame.add', commandId: 'c1', name: 'A', width: 1, height: 1 };
		expect(() => applyCommand(docs, add, { actor: { ...editor, role: 'root' } as never, at: 'now', newId: () => 'x' })).toThrow(/actor/);
		expect(() => applyCommand(docs, add, { actor: designer, at: '2026-11-26 10:00', newId: () => 'x' })).toThrow(/toISOString/);
		expect(() => applyCommand(docs, add, { actor: designer, at: '2026-11-26T10:00:00.000Z', newId: () => '../x' })).toThrow(/newId/);
		docs.internal.getMap('meta').set('schemaVersion', 2);
		expect(() => applyCommand(docs, { ...add, commandId: 'c2' }, stamps()(designer))).toThrow(/newer/);
	});
});
