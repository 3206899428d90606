import { describe, expect, it } from 'vitest';
import type { Actor } from './actor';
import * as Y from 'yjs';
import { MAX_REACTIONS_PER_USER } from './threads';
import { ACTORS, reviewHarness } from './testKit';

const { admin, designer, designer2, editor, viewer, client, client2 } = ACTORS;

// The harness clock starts at 09:00:00 and advances one second per command, refused ones included.
function setup(options: Parameters<typeof reviewHarness>[0] = {}) {
	const r = reviewHarness(options);
	const frame = r.ok(designer, { type: 'frame.add', name: 'Accueil', width: 1440, height: 900 });
	const create = (who: Actor, lane: 'client' | 'internal', body = 'Le logo ?', mentions: string[] = []) =>
		r.run(who, { type: 'thread.create', lane, frameId: frame, anchor: { kind: 'point', x: 0.25, y: 0.5 }, body, mentions });
	const thread = (id: string) => [...r.view(designer).threads].find((t) => t.id === id)!;
	return { ...r, frame, create, thread };
}
const createdIds = (result: ReturnType<ReturnType<typeof setup>['create']>) => {
	if (!result.ok) throw new Error(result.message);
	return { threadId: result.effects.created[0]!.id, messageId: result.effects.created[1]!.id };
};

describe('thread.create', () => {
	it('opens a client-lane thread with its first message, stamped by the server', () => {
		const s = setup();
		const { threadId, messageId } = createdIds(s.create(client, 'client', '  Le logo est trop petit  '));
		expect(s.view(client).threads).toEqual([
			expect.objectContaining({
				id: threadId, lane: 'client', frameId: s.frame, anchor: { kind: 'point', x: 0.25, y: 0.5 }, versionId: null, status: 'open', pin: 1,
				createdBy: { userId: client.userId, name: client.name, role: 'client' }, createdAt: '2026-11-26T09:00:01.000Z',
				messages: [{
					id: messageId, author: { userId: client.userId, name: client.name, role: 'client' }, body: 'Le logo est trop petit', mentions: [],
					createdAt: '2026-11-26T09:00:01.000Z', editedAt: null, deletedAt: null, reactions: {}
				}]
			})
		]);
		expect(s.docs.client.getMap('threads').size).toBe(1);
		expect(s.docs.internal.getMap('threads').size).toBe(0);
	});

	it('pins a thread to the current version of its lane: a client-lane thread never to a hidden version', () => {
		const s = setup();
		const shown = s.ok(designer, { type: 'version.add', label: 'V1', clientVisible: true });
		const hidden = s.ok(designer, { type: 'version.add', label: 'V2', clientVisible: false });
		const inClientLane = createdIds(s.create(designer, 'client')).threadId;
		const inInternalLane = createdIds(s.create(designer, 'internal')).threadId;
		expect(s.thread(inClientLane).versionId).toBe(shown);
		expect(s.thread(inInternalLane).versionId).toBe(hidden);
	});

	it('lets partners (editor and viewer) open threads in both lanes, clients in the client lane only', () => {
		const s = setup();
		for (const who of [editor, viewer]) for (const lane of ['client', 'internal'] as const) expect(s.create(who, lane).ok).toBe(true);
		expect(s.create(client, 'internal')).toMatchObject({ ok: false, code: 'forbidden' });
		expect(s.docs.internal.getMap('threads').size).toBe(2);
	});

	it('refuses an unknown or archived frame', () => {
		const s = setup();
		expect(s.run(client, { type: 'thread.create', lane: 'client', frameId: 'nope', anchor: { kind: 'frame' }, body: 'x', mentions: [] }))
			.toMatchObject({ ok: false, code: 'not_found' });
		s.ok(designer, { type: 'frame.archive', frameId: s.frame, archived: true });
		expect(s.create(client, 'client')).toMatchObject({ ok: false, code: 'invalid' });
	});

	it('keeps only mentions of project members, never a client in the internal lane, each once', () => {
		const s = setup();
		const result = s.create(designer, 'internal', 'cc', [editor.userId, 'u-stranger', client.userId, editor.userId, designer2.userId]);
		expect(result).toMatchObject({ ok: true, effects: { mentioned: [editor.userId, designer2.userId] } });
		expect(s.thread(createdIds(result).threadId).messages[0]!.mentions).toEqual([editor.userId, designer2.userId]);
		expect(s.create(designer, 'client', 'cc', [client.userId, 'u-stranger'])).toMatchObject({ effects: { mentioned: [client.userId] } });
		// Without a member list there is nothing to check against: mentions are kept (deduplicated).
		const open = setup({ members: null });
		expect(open.create(designer, 'client', 'cc', ['u-x', 'u-x'])).toMatchObject({ effects: { mentioned: ['u-x'] } });
	});
});

describe('replies, edits and deletions', () => {
	it('appends replies in order, resolved threads included', () => {
		const s = setup();
		const { threadId } = createdIds(s.create(client, 'client'));
		s.ok(designer, { type: 'thread.resolve', threadId });
		const reply = s.ok(viewer, { type: 'thread.reply', threadId, body: 'Corrigé', mentions: [client.userId] });
		expect(s.thread(threadId).messages.map((m) => [m.author.userId, m.body, m.mentions])).toEqual([
			[client.userId, 'Le logo ?', []],
			[viewer.userId, 'Corrigé', [client.userId]]
		]);
		expect(s.thread(threadId).messages[1]!.id).toBe(reply);
	});

	it('answers not_found, never forbidden, when a client names an internal thread', () => {
		const s = setup();
		const { threadId, messageId } = createdIds(s.create(designer, 'internal'));
		const unknown = s.run(client, { type: 'thread.reply', threadId: 'does-not-exist', body: 'x', mentions: [] });
		const hidden = s.run(client, { type: 'thread.reply', threadId, body: 'x', mentions: [] });
		expect(hidden).toEqual(unknown);
		expect(hidden).toMatchObject({ ok: false, code: 'not_found' });
		for (const command of [
			{ type: 'thread.resolve', threadId },
			{ type: 'thread.reopen', threadId },
			{ type: 'message.edit', threadId, messageId, body: 'x', mentions: [] },
			{ type: 'message.delete', threadId, messageId },
			{ type: 'reaction.toggle', threadId, messageId, emoji: '👍' }
		]) {
			expect(s.run(client, command)).toMatchObject({ ok: false, code: 'not_found' });
		}
	});

	it('marks an edited message and lets only its author (or an admin) edit it', () => {
		const s = setup();
		const { threadId, messageId } = createdIds(s.create(designer, 'client', 'Avant'));
		expect(s.run(designer2, { type: 'message.edit', threadId, messageId, body: 'Non', mentions: [] })).toMatchObject({ ok: false, code: 'forbidden' });
		expect(s.run(client, { type: 'message.edit', threadId, messageId, body: 'Non', mentions: [] })).toMatchObject({ ok: false, code: 'forbidden' });
		s.ok(designer, { type: 'message.edit', threadId, messageId, body: 'Après', mentions: [] });
		expect(s.thread(threadId).messages[0]).toMatchObject({ body: 'Après', editedAt: '2026-11-26T09:00:04.000Z', deletedAt: null });
		const byAdmin = s.run(admin, { type: 'message.edit', threadId, messageId, body: 'Modéré', mentions: [editor.userId, client.userId] });
		expect(byAdmin).toMatchObject({ ok: true, effects: { mentioned: [editor.userId, client.userId] } });
		expect(s.run(designer, { type: 'message.edit', threadId, messageId: 'nope', body: 'x', mentions: [] })).toMatchObject({ ok: false, code: 'not_found' });
	});

	it('deletes a message by emptying it in place; its text leaves the document', () => {
		const s = setup();
		const { threadId, messageId } = createdIds(s.create(client, 'client', 'Texte confidentiel 4242'));
		s.ok(client, { type: 'thread.reply', threadId, body: 'Suite', mentions: [] });
		s.ok(designer, { type: 'reaction.toggle', threadId, messageId, emoji: '👀' });
		expect(s.run(client2, { type: 'message.delete', threadId, messageId })).toMatchObject({ ok: false, code: 'forbidden' });
		s.ok(client, { type: 'message.delete', threadId, messageId });
		expect(s.thread(threadId).messages.map((m) => [m.body, m.deletedAt, m.reactions])).toEqual([
			['', '2026-11-26T09:00:05.000Z', {}],
			['Suite', null, {}]
		]);
		expect(new TextDecoder().decode(Y.encodeStateAsUpdate(s.docs.client))).not.toContain('4242');
		expect(s.run(client, { type: 'message.delete', threadId, messageId })).toMatchObject({ ok: false, code: 'conflict' });
		expect(s.run(client, { type: 'message.edit', threadId, messageId, body: 'x', mentions: [] })).toMatchObject({ ok: false, code: 'conflict' });
		expect(s.run(client, { type: 'reaction.toggle', threadId, messageId, emoji: '👍' })).toMatchObject({ ok: false, code: 'conflict' });
	});

	it('lets an admin delete anyone’s message, a designer only their own', () => {
		const s = setup();
		const { threadId, messageId } = createdIds(s.create(client, 'client'));
		expect(s.run(designer, { type: 'message.delete', threadId, messageId })).toMatchObject({ ok: false, code: 'forbidden' });
		expect(s.run(admin, { type: 'message.delete', threadId, messageId }).ok).toBe(true);
	});
});

describe('resolve and reopen', () => {
	it('stamps who resolved and who reopened, and refuses a transition that already happened', () => {
		const s = setup();
		const { threadId } = createdIds(s.create(client, 'client'));
		expect(s.run(client, { type: 'thread.resolve', threadId })).toMatchObject({ ok: false, code: 'forbidden' });
		expect(s.run(viewer, { type: 'thread.resolve', threadId })).toMatchObject({ ok: false, code: 'forbidden' });
		expect(s.run(editor, { type: 'thread.reopen', threadId })).toMatchObject({ ok: false, code: 'conflict' });
		s.ok(editor, { type: 'thread.resolve', threadId });
		expect(s.thread(threadId)).toMatchObject({
			status: 'resolved', resolvedBy: { userId: editor.userId, name: editor.name }, resolvedAt: '2026-11-26T09:00:05.000Z', reopenedBy: null
		});
		expect(s.run(designer, { type: 'thread.resolve', threadId })).toMatchObject({ ok: false, code: 'conflict' });
		expect(s.run(client, { type: 'thread.reopen', threadId })).toMatchObject({ ok: false, code: 'forbidden' });
		s.ok(designer, { type: 'thread.reopen', threadId });
		expect(s.thread(threadId)).toMatchObject({
			status: 'open', resolvedBy: { userId: editor.userId }, reopenedBy: { userId: designer.userId, name: designer.name }, reopenedAt: '2026-11-26T09:00:08.000Z'
		});
	});
});

describe('reaction.toggle', () => {
	it('adds and removes reactions, grouped by emoji in reaction order', () => {
		const s = setup();
		const { threadId, messageId } = createdIds(s.create(designer, 'client'));
		const react = (who: Actor, emoji: string) => s.run(who, { type: 'reaction.toggle', threadId, messageId, emoji });
		expect(react(client, '👍').ok).toBe(true);
		expect(react(editor, '👍').ok).toBe(true);
		expect(react(client, '🎉').ok).toBe(true);
		expect(s.thread(threadId).messages[0]!.reactions).toEqual({ '👍': [client.userId, editor.userId], '🎉': [client.userId] });
		react(client, '👍');
		expect(s.view(client).threads[0]!.messages[0]!.reactions).toEqual({ '👍': [editor.userId], '🎉': [client.userId] });
		expect(react(viewer, '👍')).toMatchObject({ ok: false, code: 'forbidden' });
	});

	it(`caps one person at ${MAX_REACTIONS_PER_USER} different emoji on a message`, () => {
		const s = setup();
		const { threadId, messageId } = createdIds(s.create(designer, 'client'));
		for (let i = 0; i < MAX_REACTIONS_PER_USER; i++) s.ok(client, { type: 'reaction.toggle', threadId, messageId, emoji: `e${i}` });
		expect(s.run(client, { type: 'reaction.toggle', threadId, messageId, emoji: 'one-more' })).toMatchObject({ ok: false, code: 'invalid' });
		expect(s.run(client, { type: 'reaction.toggle', threadId, messageId, emoji: 'e0' }).ok).toBe(true);
	});
});
