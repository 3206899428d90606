import type * as Y from 'yjs';
import { commit, newId, personOf, unchanged, write, type ApplyContext } from './applyContext';
import type { CommandOf } from './commands';
import type { Lane } from './lanes';
import { deleteEntry, putEntry, readEntries, readEntry } from './layout';
import { refuse, type CommandResult } from './outcome';
import { can } from './permissions';
import type { StoredVersion } from './records';

/** Sort order of versions, newest first: by creation time, then id so replicas agree on ties. */
export function newestFirst(a: { createdAt: string; id: string }, b: { createdAt: string; id: string }): number {
	return a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * The versions in `client` and, when given, `internal`, one per id. Should a version ever sit in both
 * documents (two concurrent moves), the client copy wins: that is what the client can see.
 */
export function listVersions(client: Y.Doc, internal?: Y.Doc): StoredVersion[] {
	const byId = new Map<string, StoredVersion>();
	for (const v of internal ? readEntries(internal, 'versions') : []) byId.set(v.id, v);
	for (const v of readEntries(client, 'versions')) byId.set(v.id, v);
	return [...byId.values()].sort(newestFirst);
}

/**
 * The current version as seen from the document of `lane`: for the client doc the newest client-visible
 * version, for the internal doc the newest of all. Threads are pinned to it and rounds judge decisions by it.
 */
export function currentVersion(docs: { client: Y.Doc; internal?: Y.Doc }, lane: Lane): StoredVersion | null {
	return listVersions(docs.client, lane === 'internal' ? docs.internal : undefined)[0] ?? null;
}

/** `version.add`: staff record a new design version, visible to the client or not. */
export function applyVersionAdd(ctx: ApplyContext, command: CommandOf<'version.add'>): CommandResult {
	if (!can(ctx.actor, 'version.manage')) return refuse('forbidden', 'Only the agency adds versions.');
	const version: StoredVersion = {
		id: newId(ctx),
		label: command.label,
		figmaVersionId: command.figmaVersionId ?? null,
		clientVisible: command.clientVisible,
		createdBy: personOf(ctx.actor),
		createdAt: ctx.stamp.at
	};
	return commit(ctx, command.clientVisible ? 'client' : 'internal', (doc) => putEntry(doc, 'versions', version), {
		created: [{ kind: 'version', id: version.id }]
	});
}

/**
 * `version.setVisibility`: moves a version between the documents, with the client rounds on it (a client
 * cannot review what it cannot see). Rounds opened internally stay internal even once their version is shown:
 * their decisions and comments were written for the agency only.
 */
export function applyVersionSetVisibility(ctx: ApplyContext, command: CommandOf<'version.setVisibility'>): CommandResult {
	if (!can(ctx.actor, 'version.manage')) return refuse('forbidden', 'Only the agency shows or hides versions.');
	const from: Lane | null = readEntry(ctx.docs.client, 'versions', command.versionId)
		? 'client'
		: readEntry(ctx.docs.internal, 'versions', command.versionId)
			? 'internal'
			: null;
	if (!from) return refuse('not_found', 'This version no longer exists. Reload the review.');
	const to: Lane = command.clientVisible ? 'client' : 'internal';
	if (from === to) return unchanged();
	const source = from === 'client' ? ctx.docs.client : ctx.docs.internal;
	const version = { ...readEntry(source, 'versions', command.versionId)!, clientVisible: command.clientVisible };
	const rounds = readEntries(source, 'rounds').filter((r) => r.versionId === version.id && r.lane === 'client');
	// Write the destination first: should anything stop us in between, the version is duplicated, never lost.
	// Readers prefer the client copy, so a half-done hide reads as not done and a half-done show as done.
	write(ctx, to, (doc) => {
		putEntry(doc, 'versions', version);
		for (const round of rounds) putEntry(doc, 'rounds', round);
	});
	write(ctx, from, (doc) => {
		deleteEntry(doc, 'versions', version.id);
		for (const round of rounds) deleteEntry(doc, 'rounds', round.id);
	});
	return { ok: true, duplicate: false, effects: { lanes: ['client', 'internal'], created: [], mentioned: [] } };
}
