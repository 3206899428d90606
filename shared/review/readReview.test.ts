import { describe, expect, it } from 'vitest';
import type { Actor } from './actor';
import * as Y from 'yjs';
import { readReview } from './readReview';
import { ACTORS, reviewHarness } from './testKit';

const { designer, editor, viewer, client } = ACTORS;

// A project with something in every corner of the internal lane, each marked SECRET.
function project() {
	const r = reviewHarness();
	const home = r.ok(designer, { type: 'frame.add', name: 'Accueil', width: 1440, height: 900 });
	const about = r.ok(designer, { type: 'frame.add', name: 'À propos', width: 1440, height: 900 });
	const v1 = r.ok(designer, { type: 'version.add', label: 'V1', clientVisible: true });
	r.ok(designer, { type: 'version.add', label: 'SECRET version', figmaVersionId: '999', clientVisible: false });
	const thread = (who: Actor, lane: 'client' | 'internal', frameId: string, body: string) =>
		r.ok(who, { type: 'thread.create', lane, frameId, anchor: { kind: 'frame' }, body, mentions: [] });
	const c1 = thread(client, 'client', home, 'Client 1');
	const i1 = thread(designer, 'internal', home, 'SECRET internal 1');
	thread(editor, 'client', home, 'Client 2');
	const i2 = thread(viewer, 'internal', home, 'SECRET internal 2');
	thread(client, 'client', about, 'Client 3');
	r.ok(editor, { type: 'thread.reply', threadId: i1, body: 'SECRET reply', mentions: [designer.userId] });
	r.ok(viewer, { type: 'message.edit', threadId: i2, messageId: r.view(designer).threads.find((t) => t.id === i2)!.messages[0]!.id, body: 'SECRET edited', mentions: [] });
	const internalRound = r.ok(designer, { type: 'round.open', versionId: r.view(designer).currentVersionId!, reviewers: [editor.userId], dueDate: '2026-12-01' });
	r.ok(editor, { type: 'round.decide', roundId: internalRound, decision: 'changes_requested', comment: 'SECRET feedback' });
	r.ok(client, { type: 'reaction.toggle', threadId: c1, messageId: r.view(client).threads[0]!.messages[0]!.id, emoji: '👍' });
	return { ...r, home, about, v1 };
}

describe('readReview', () => {
	it('never puts internal content in a client view', () => {
		const p = project();
		const view = p.view(client);
		expect(JSON.stringify(view)).not.toContain('SECRET');
		expect(view.lanes).toEqual(['client']);
		expect(view.threads.every((t) => t.lane === 'client')).toBe(true);
		expect(view.currentVersionId).toBe(p.v1);
		expect(JSON.stringify(p.view(designer))).toContain('SECRET');
	});

	it('never writes internal content into the client document, which clients receive whole', () => {
		const p = project();
		expect(new TextDecoder().decode(Y.encodeStateAsUpdate(p.docs.client))).not.toContain('SECRET');
		expect(JSON.stringify(p.docs.client.toJSON())).not.toContain('SECRET');
	});

	it('does not touch the internal document for a client, nor need it', () => {
		const p = project();
		const trap = new Proxy({} as Y.Doc, { get: () => { throw new Error('the internal document was touched'); } });
		expect(readReview({ client: p.docs.client, internal: trap }, client)).toEqual(p.view(client));
		expect(readReview({ client: p.docs.client }, client)).toEqual(p.view(client));
	});

	it('numbers pins per frame and per lane in creation order, so client pins match for everyone', () => {
		const p = project();
		const pins = (viewerActor: Actor) => p.view(viewerActor).threads.map((t) => [t.frameId === p.home ? 'home' : 'about', t.lane, t.pin]);
		expect(pins(designer)).toEqual([
			['home', 'client', 1], ['home', 'internal', 1], ['home', 'client', 2], ['home', 'internal', 2], ['about', 'client', 1]
		]);
		expect(pins(client)).toEqual([['home', 'client', 1], ['home', 'client', 2], ['about', 'client', 1]]);
	});

	it('shows partners both lanes and the internal round with its derived status', () => {
		const p = project();
		for (const who of [editor, viewer, designer]) {
			const view = p.view(who);
			expect(view.lanes).toEqual(['client', 'internal']);
			expect(view.threads).toHaveLength(5);
			expect(view.rounds).toMatchObject([{ lane: 'internal', status: 'changes_requested', decisions: [{ comment: 'SECRET feedback' }] }]);
			expect(view.versions.map((v) => [v.label, v.current])).toEqual([['SECRET version', true], ['V1', false]]);
		}
	});

	it('skips malformed entries instead of failing the whole view', () => {
		const p = project();
		p.docs.client.transact(() => {
			p.docs.client.getMap('threads').set('junk', { not: 'a thread' });
			const bad = new Y.Map<unknown>();
			bad.set('id', 'bad');
			p.docs.client.getMap('frames').set('bad', bad);
		});
		expect(p.view(client).threads).toHaveLength(3);
		expect(p.view(client).frames).toHaveLength(2);
	});
});
