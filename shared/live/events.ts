import { z } from 'zod';
import { laneSchema } from '../review/lanes';
import { STAFF_LIVE_ROOM, isTenantSlug } from '../tenants';
import { tenantSlugSchema } from '../tenantSchema';

/** What bknd's bridge and the project rooms publish into live rooms. `activity` comes from project rooms. */
export const LIVE_ENTITIES = ['projects', 'clients', 'leads', 'project_shares', 'project_metrics', 'activity'] as const;
export const liveEntitySchema = z.enum(LIVE_ENTITIES);
export type LiveEntity = z.infer<typeof liveEntitySchema>;

export const LIVE_OPS = ['insert', 'update', 'delete'] as const;
export type LiveOp = (typeof LIVE_OPS)[number];

/** Event ids are chosen by the publisher so a re-sent event keeps its id and the room can drop it. */
export const liveEventIdSchema = z.string().regex(/^[A-Za-z0-9:._-]{1,160}$/);

/** A row as published: flat JSON values only (what dashboards show), bounded. */
const rowValueSchema = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);
// bknd columns are snake_case, activity rows camelCase (`projectId`, `actorName`): both pass. A `__proto__` key
// never becomes a field (assigning it would set a prototype): zod drops it, and the pattern excludes it anyway.
export const liveRowSchema = z
	.record(z.string().regex(/^(?!__proto__$)[A-Za-z_][A-Za-z0-9_]{0,63}$/), rowValueSchema)
	.refine((row) => Object.keys(row).length <= 64, 'too many fields');

/**
 * One change, as published. `tenant` is the client slug the row belongs to, or `null` for rows of no tenant
 * (a lead before it became a client): those reach only the staff room (`fataplus`).
 */
export const liveEventSchema = z
	.object({
		id: liveEventIdSchema,
		// A reserved slug (`fataplus`, `www`…) is never a tenant: such an event would reach no tenant room.
		tenant: tenantSlugSchema.refine(isTenantSlug, 'reserved slug').nullable(),
		entity: liveEntitySchema,
		op: z.enum(LIVE_OPS),
		/** The row after the change (for `delete`: at least `id`, plus what tells who may see it). */
		row: liveRowSchema,
		at: z.iso.datetime()
	})
	.strict();
export type LiveEvent = z.infer<typeof liveEventSchema>;

/** An event as the room stored it, with its place in the room's log. */
export type LoggedEvent = LiveEvent & { seq: number };

/** The rooms an event is delivered to: its tenant's live room, and always the staff room. */
export function liveRoomsFor(event: Pick<LiveEvent, 'tenant'>): string[] {
	return event.tenant ? [event.tenant, STAFF_LIVE_ROOM] : [STAFF_LIVE_ROOM];
}

/**
 * The id of a row change: the same for the listener that saw the write and for a sweep that finds the row
 * later, so the room keeps one. `revision` is the row's `updated_at` (or any value that changes with each write).
 */
export function rowEventId(entity: LiveEntity, rowId: number | string, op: LiveOp, revision: string): string {
	return `${entity}:${rowId}:${op}:${revision}`.replace(/[^A-Za-z0-9:._-]/g, '_').slice(0, 160);
}

/** Review activity that project rooms publish (`entity: 'activity'`); `lane` decides who may see it. */
export const ACTIVITY_KINDS = ['thread.opened', 'thread.resolved', 'thread.reopened', 'round.opened', 'round.decided', 'version.added'] as const;
export const activityRowSchema = z.object({
	projectId: z.number().int().positive(),
	kind: z.enum(ACTIVITY_KINDS),
	lane: laneSchema,
	/** Who did it (display name from their verified token). */
	actorName: z.string().max(200),
	/** A short human line: a thread's first words, a version label, a decision. */
	summary: z.string().max(280),
	/** How many actions of one burst this line stands for (party/live/ActivityPublisher.ts foldBursts); absent = 1. */
	count: z.number().int().min(2).optional()
});
export type ActivityRow = z.infer<typeof activityRowSchema>;
