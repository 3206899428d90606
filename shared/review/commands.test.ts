import { describe, expect, it } from 'vitest';
import { clientCommandSchema } from './commands';

const VALID = [
	{ type: 'frame.add', commandId: 'c1', name: 'Accueil', width: 1440, height: 900 },
	{
		type: 'frame.add', commandId: 'c1', name: 'Accueil', figmaNodeId: 'I12:34;56:78', page: 'Mobile', width: 390, height: 844,
		image: { kind: 'url', url: 'https://cdn.example.mg/a.png' }, afterFrameId: 'f1'
	},
	{ type: 'frame.add', commandId: 'c1', name: 'A', width: 1, height: 1, image: { kind: 'media', path: 'projects/12/frames/a b é.png' } },
	{ type: 'frame.rename', commandId: 'c1', frameId: 'f1', name: 'Accueil v2' },
	{ type: 'frame.move', commandId: 'c1', frameId: 'f1', afterFrameId: null },
	{ type: 'frame.move', commandId: 'c1', frameId: 'f1', afterFrameId: 'f2' },
	{ type: 'frame.archive', commandId: 'c1', frameId: 'f1', archived: true },
	{ type: 'version.add', commandId: 'c1', label: 'V2', figmaVersionId: '123456', clientVisible: false },
	{ type: 'version.setVisibility', commandId: 'c1', versionId: 'v1', clientVisible: true },
	{ type: 'thread.create', commandId: 'c1', lane: 'client', frameId: 'f1', anchor: { kind: 'point', x: 0, y: 1 }, body: 'Logo plus grand ?', mentions: ['u1'] },
	{ type: 'thread.create', commandId: 'c1', lane: 'internal', frameId: 'f1', anchor: { kind: 'frame' }, body: 'x'.repeat(10_000), mentions: [] },
	{ type: 'thread.reply', commandId: 'c1', threadId: 't1', body: 'Oui', mentions: [] },
	{ type: 'message.edit', commandId: 'c1', threadId: 't1', messageId: 'm1', body: 'Non', mentions: [] },
	{ type: 'message.delete', commandId: 'c1', threadId: 't1', messageId: 'm1' },
	{ type: 'thread.resolve', commandId: 'c1', threadId: 't1' },
	{ type: 'thread.reopen', commandId: 'c1', threadId: 't1' },
	{ type: 'reaction.toggle', commandId: 'c1', threadId: 't1', messageId: 'm1', emoji: '👍🏽' },
	{ type: 'round.open', commandId: 'c1', versionId: 'v1', reviewers: ['u1', 'u2'], dueDate: '2026-12-01' },
	{ type: 'round.decide', commandId: 'c1', roundId: 'r1', decision: 'approved' },
	{ type: 'round.decide', commandId: 'c1', roundId: 'r1', decision: 'changes_requested', comment: 'Le vert est trop clair.' }
];

describe('clientCommandSchema', () => {
	it.each(VALID.map((c) => [c.type, c] as const))('accepts a valid %s', (_type, command) => {
		expect(clientCommandSchema.safeParse(command).success).toBe(true);
	});

	const reply = { type: 'thread.reply', commandId: 'c1', threadId: 't1', body: 'Oui', mentions: [] };
	const create = VALID[9]!;
	const frame = VALID[0]!;
	const round = { type: 'round.open', commandId: 'c1', versionId: 'v1', reviewers: ['u1'], dueDate: '2026-12-01' };
	const decide = { type: 'round.decide', commandId: 'c1', roundId: 'r1', decision: 'changes_requested' };
	it.each([
		['a body of 10,001 characters', { ...reply, body: 'x'.repeat(10_001) }],
		['an empty body', { ...reply, body: '   ' }],
		['a smuggled author', { ...reply, author: { userId: 'u-admin', name: 'Admin', role: 'admin' } }],
		['a smuggled createdBy', { ...create, createdBy: { userId: 'u-admin', name: 'Admin' } }],
		['a smuggled server time', { ...reply, at: '2020-01-01T00:00:00Z' }],
		['a smuggled field inside the anchor', { ...create, anchor: { kind: 'frame', author: 'x' } }],
		['an unknown type', { ...reply, type: 'thread.destroy' }],
		['no command id', { ...reply, commandId: undefined }],
		['a command id with a slash', { ...reply, commandId: 'a/b' }],
		['a command id of 65 characters', { ...reply, commandId: 'a'.repeat(65) }],
		['a thread id of __proto__', { ...reply, threadId: '__proto__' }],
		['51 mentions', { ...reply, mentions: Array.from({ length: 51 }, (_, i) => `u${i}`) }],
		['a mention that is not an id', { ...reply, mentions: ['bob smith'] }],
		['a name of 201 characters', { ...frame, name: 'n'.repeat(201) }],
		['a zero width', { ...frame, width: 0 }],
		['a height over 100,000', { ...frame, height: 100_001 }],
		['a javascript: image URL', { ...frame, image: { kind: 'url', url: 'javascript:alert(1)' } }],
		['a data: image URL', { ...frame, image: { kind: 'url', url: 'data:image/png;base64,AAAA' } }],
		['an image URL over 2,000 characters', { ...frame, image: { kind: 'url', url: `https://a.mg/${'x'.repeat(2000)}` } }],
		['a media path climbing with ..', { ...frame, image: { kind: 'media', path: 'projects/../../secrets' } }],
		['a media path with a backslash', { ...frame, image: { kind: 'media', path: 'projects\\a.png' } }],
		['an absolute media path', { ...frame, image: { kind: 'media', path: '/etc/passwd' } }],
		['a point outside the frame', { ...create, anchor: { kind: 'point', x: 1.2, y: 0.5 } }],
		['an unknown lane', { ...create, lane: 'secret' }],
		['an emoji of 17 characters', { type: 'reaction.toggle', commandId: 'c1', threadId: 't1', messageId: 'm1', emoji: 'x'.repeat(17) }],
		['an empty reviewer list', { ...round, reviewers: [] }],
		['51 reviewers', { ...round, reviewers: Array.from({ length: 51 }, (_, i) => `u${i}`) }],
		['a due date that is not a date', { ...round, dueDate: '2026-02-30' }],
		['a due date with a time', { ...round, dueDate: '2026-12-01T10:00:00Z' }],
		['changes requested without a comment', decide],
		['changes requested with a blank comment', { ...decide, comment: '  ' }],
		['a decision comment of 10,001 characters', { ...decide, comment: 'x'.repeat(10_001) }],
		['an unknown decision', { ...decide, decision: 'maybe', comment: 'x' }]
	])('refuses %s', (_what, command) => {
		expect(clientCommandSchema.safeParse(command).success).toBe(false);
	});

	it('trims names and bodies', () => {
		const parsed = clientCommandSchema.parse({ type: 'thread.reply', commandId: 'c1', threadId: 't1', body: '  Oui \n', mentions: [] });
		expect(parsed).toMatchObject({ body: 'Oui' });
	});
});
