import { z } from 'zod';
import { liveEventSchema } from './events';

/**
 * How publishers (bknd's bridge, project rooms) deliver events to a live room:
 * `POST /ws/live/<room>/events` with a JSON body `{ events }`, signed (signature.ts).
 *
 * The room answers 200 `{ accepted, duplicates, seq }` (a re-sent event is a duplicate, not an error),
 * 400 for a body that does not parse or an event of another tenant (a tenant room takes only its tenant's events,
 * `fataplus` takes all), 401 for a missing, wrong or stale signature, 409 for a delivery id it already saw, 413 over
 * a size limit, 500 when the room has no `BRIDGE_SECRET`. It stores nothing from a refused delivery.
 */
export const DELIVERY_HEADERS = {
	/** Unix milliseconds when the delivery was signed. */
	timestamp: 'x-fataplus-timestamp',
	/** A fresh id per delivery attempt (a retry is a new delivery of the same events). */
	delivery: 'x-fataplus-delivery',
	/** `sha256=<hex>` of HMAC-SHA256(BRIDGE_SECRET, `<timestamp>.<delivery>.<body>`). */
	signature: 'x-fataplus-signature'
} as const;

export const DELIVERY_LIMITS = {
	/** Older (or further in the future) than this, a delivery is refused as stale. */
	maxAgeMs: 5 * 60 * 1000,
	maxEvents: 500,
	maxBodyBytes: 1024 * 1024,
	/**
	 * One event's JSON text, in characters: the room stores each event as one Durable Object value (at most
	 * 128 KiB serialised, two bytes per character at worst). A delivery holding a longer event is refused with 413.
	 */
	maxEventChars: 60_000
} as const;

export const deliveryIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export const deliveryBodySchema = z.object({ events: z.array(liveEventSchema).min(1).max(DELIVERY_LIMITS.maxEvents) }).strict();
export type DeliveryBody = z.infer<typeof deliveryBodySchema>;

export const deliveryAnswerSchema = z.object({ accepted: z.number(), duplicates: z.number(), seq: z.number() });
export type DeliveryAnswer = z.infer<typeof deliveryAnswerSchema>;
