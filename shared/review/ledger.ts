import * as Y from 'yjs';
import { z } from 'zod';
import { laneSchema } from './lanes';
import { storedJson } from './layout';
import type { CommandEffects } from './outcome';

// The ledger: the room's record of the commands it applied, so a retried command is answered, not applied
// twice. A third Y.Doc beside the two lanes (`ReviewDocs.ledger`) that the room persists and never sends to
// anyone: the records are the server's business, and out of the lane documents they cost clients nothing.
//
//   applied   `${userId}/${commandId}` → JSON text of { at, lanes, created, mentioned }
//
// A record keeps what a retry must answer (the command's effects) and when it was applied, for pruning.
// JSON text for the reason given in layout.ts: a cold room decoded 10,000 records in 190 ms as objects, 100 ms as text.
// The previous layout kept `{ at, effects }` records in an `applied` map of each lane document; migrate.ts
// moves them here.
export const LEDGER_MAP = 'applied';

const CREATED_KINDS = ['frame', 'version', 'thread', 'message', 'round'] as const;
const effectsShape = {
	lanes: z.array(laneSchema),
	created: z.array(z.object({ kind: z.enum(CREATED_KINDS), id: z.string() })),
	mentioned: z.array(z.string())
};
const appliedRecordSchema = z.object({ at: z.string(), ...effectsShape });
export type AppliedRecord = z.infer<typeof appliedRecordSchema>;

// The previous layout's map and record, still found in lane documents written before the ledger existed.
const LEGACY_MAP = 'applied';
const legacyRecordSchema = z.object({ at: z.string(), effects: z.object(effectsShape) });

/** The ledger key of a command: per user, so one person's command id never shadows another's. */
export function appliedKey(userId: string, commandId: string): string {
	return `${userId}/${commandId}`;
}

/** The effects recorded for a command already applied, or `null`. */
export function findApplied(ledger: Y.Doc, userId: string, commandId: string): CommandEffects | null {
	const record = appliedRecordSchema.safeParse(storedJson(ledger.getMap(LEDGER_MAP).get(appliedKey(userId, commandId))));
	if (!record.success) return null;
	const { lanes, created, mentioned } = record.data;
	return { lanes, created, mentioned };
}

/** Records a command as applied at `at` with `effects`, in one transaction with `origin`. */
export function recordApplied(ledger: Y.Doc, key: { userId: string; commandId: string }, at: string, effects: CommandEffects, origin: unknown): void {
	const record: AppliedRecord = { at, lanes: effects.lanes, created: effects.created, mentioned: effects.mentioned };
	ledger.transact(() => ledger.getMap(LEDGER_MAP).set(appliedKey(key.userId, key.commandId), JSON.stringify(record)), origin);
}

/**
 * Forgets applied-command records older than `before` (ISO time), to bound the ledger's growth. A retry
 * arriving after that is applied again, so keep well beyond any client's retry window (a day is plenty).
 * @example pruneAppliedCommands(docs.ledger, new Date(Date.now() - 86_400_000).toISOString())
 */
export function pruneAppliedCommands(ledger: Y.Doc, before: string): number {
	const applied = ledger.getMap(LEDGER_MAP);
	const old: string[] = [];
	applied.forEach((value, key) => {
		const record = appliedRecordSchema.safeParse(storedJson(value));
		if (!record.success || record.data.at < before) old.push(key);
	});
	if (old.length > 0) ledger.transact(() => old.forEach((key) => applied.delete(key)), { source: 'review-prune' });
	return old.length;
}

/** Whether `doc` still holds applied-command records of the previous layout. */
export function hasLegacyApplied(doc: Y.Doc): boolean {
	for (const _ of doc.getMap(LEGACY_MAP).keys()) return true;
	return false;
}

/**
 * Moves the previous layout's records out of a lane document: into `ledger` when given (a record already
 * there wins), else they are dropped, as a pruning would. Either way they leave the synced document.
 * Call it inside a transaction on `doc`.
 */
export function moveLegacyApplied(doc: Y.Doc, ledger: Y.Doc | undefined): void {
	const legacy = doc.getMap(LEGACY_MAP);
	const entries = [...legacy.entries()];
	if (ledger) {
		const applied = ledger.getMap(LEDGER_MAP);
		ledger.transact(() => {
			for (const [key, value] of entries) {
				const record = legacyRecordSchema.safeParse(storedJson(value));
				if (!record.success || applied.has(key)) continue;
				const { at, effects } = record.data;
				applied.set(key, JSON.stringify({ at, lanes: effects.lanes, created: effects.created, mentioned: effects.mentioned } satisfies AppliedRecord));
			}
		}, { source: 'review-migration' });
	}
	for (const [key] of entries) legacy.delete(key);
}
