import { describe, expect, it } from 'vitest';
import type { Actor } from './actor';
import { can, type Action } from './permissions';
import { ACTORS } from './testKit';

// The permission table of the review, one test per (person, cell). Rules:
// PERM-1 admins and designers do everything (except PERM-6).
// PERM-2 a partner editor reads both lanes; creates, replies, resolves and reacts in both; edits version notes;
//        never manages frames, versions or rounds.
// PERM-3 a partner viewer reads both lanes; creates and replies in both; no resolve, no react, no notes.
// PERM-4 a client has the client lane only (read, create, reply, react); no resolve; never frames, versions, notes.
// PERM-5 outside staff, only a required reviewer of a round decides on it.
// PERM-6 anyone edits or deletes only their own messages; admins any.
// PERM-7 a partner without a live share of the project (partnerAccess null) may do nothing.
const PEOPLE = ['admin', 'designer', 'editor', 'viewer', 'client', 'unshared'] as const;
type Person = (typeof PEOPLE)[number];

type Cell = { name: string; action: Action; context: (actor: Actor) => unknown; rule?: string };
const lane = (l: 'client' | 'internal') => () => ({ lane: l });
const own = (l: 'client' | 'internal') => (a: Actor) => ({ lane: l, authorId: a.userId });
const other = (l: 'client' | 'internal') => () => ({ lane: l, authorId: 'u-someone-else' });

// Each row: the cell, then who may (1) or may not (0): admin, designer, editor, viewer, client, unshared.
const TABLE: [Cell, string][] = [
	[{ name: 'frame.manage', action: 'frame.manage', context: () => undefined }, '110000'],
	[{ name: 'version.manage', action: 'version.manage', context: () => undefined }, '110000'],
	[{ name: 'version.editNotes', action: 'version.editNotes', context: () => undefined }, '111000'],
	[{ name: 'round.open', action: 'round.open', context: () => undefined }, '110000'],
	[{ name: 'lane.read client', action: 'lane.read', context: lane('client') }, '111110'],
	[{ name: 'lane.read internal', action: 'lane.read', context: lane('internal') }, '111100'],
	[{ name: 'thread.create client', action: 'thread.create', context: lane('client') }, '111110'],
	[{ name: 'thread.create internal', action: 'thread.create', context: lane('internal') }, '111100'],
	[{ name: 'thread.reply client', action: 'thread.reply', context: lane('client') }, '111110'],
	[{ name: 'thread.reply internal', action: 'thread.reply', context: lane('internal') }, '111100'],
	[{ name: 'thread.resolve client', action: 'thread.resolve', context: lane('client') }, '111000'],
	[{ name: 'thread.resolve internal', action: 'thread.resolve', context: lane('internal') }, '111000'],
	[{ name: 'reaction.toggle client', action: 'reaction.toggle', context: lane('client') }, '111010'],
	[{ name: 'reaction.toggle internal', action: 'reaction.toggle', context: lane('internal') }, '111000'],
	[{ name: 'message.edit own, client lane', action: 'message.edit', context: own('client'), rule: 'PERM-6' }, '111110'],
	[{ name: "message.edit someone else's, client lane", action: 'message.edit', context: other('client'), rule: 'PERM-6' }, '100000'],
	[{ name: 'message.edit own, internal lane', action: 'message.edit', context: own('internal'), rule: 'PERM-6' }, '111100'],
	[{ name: "message.edit someone else's, internal lane", action: 'message.edit', context: other('internal'), rule: 'PERM-6' }, '100000'],
	[{ name: 'message.delete own, client lane', action: 'message.delete', context: own('client'), rule: 'PERM-6' }, '111110'],
	[{ name: "message.delete someone else's, client lane", action: 'message.delete', context: other('client'), rule: 'PERM-6' }, '100000'],
	[{ name: 'message.delete own, internal lane', action: 'message.delete', context: own('internal'), rule: 'PERM-6' }, '111100'],
	[{ name: "message.delete someone else's, internal lane", action: 'message.delete', context: other('internal'), rule: 'PERM-6' }, '100000'],
	[{ name: 'round.decide as a required reviewer', action: 'round.decide', context: (a) => ({ reviewers: ['u-x', a.userId] }), rule: 'PERM-5' }, '111110'],
	[{ name: 'round.decide not a reviewer', action: 'round.decide', context: () => ({ reviewers: ['u-x'] }), rule: 'PERM-5' }, '110000']
];

const ROLE_RULE: Record<Person, string> = { admin: 'PERM-1', designer: 'PERM-1', editor: 'PERM-2', viewer: 'PERM-3', client: 'PERM-4', unshared: 'PERM-7' };

const rows = TABLE.flatMap(([cell, allowed]) =>
	PEOPLE.map((person, i) => {
		const rule = person === 'unshared' ? 'PERM-7' : (cell.rule ?? ROLE_RULE[person]);
		return [`${rule} ${person}: ${cell.name} → ${allowed[i] === '1' ? 'allowed' : 'refused'}`, person, cell, allowed[i] === '1'] as const;
	})
);

describe('can', () => {
	it.each(rows)('%s', (_name, person, cell, expected) => {
		const actor = ACTORS[person];
		const check = can as (actor: Actor, action: Action, context?: unknown) => boolean;
		expect(check(actor, cell.action, cell.context(actor))).toBe(expected);
	});

	it('covers every action in the table', () => {
		const actions = new Set(TABLE.map(([cell]) => cell.action));
		expect([...actions].sort()).toEqual([
			'frame.manage', 'lane.read', 'message.delete', 'message.edit', 'reaction.toggle', 'round.decide', 'round.open',
			'thread.create', 'thread.reply', 'thread.resolve', 'version.editNotes', 'version.manage'
		]);
	});
});
