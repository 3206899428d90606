import { DELIVERY_LIMITS, deliveryBodySchema, deliveryIdSchema } from '../../shared/live/delivery';
import type { LiveEvent } from '../../shared/live/events';
import { verifySigned, type IncomingSigned } from '../../shared/live/signedMessage';
import { STAFF_LIVE_ROOM } from '../../shared/tenants';

/** A delivery as it arrived: its headers, and its body text (`null` when it was over `maxBodyBytes`). */
export type IncomingDelivery = IncomingSigned;

export type DeliveryCheck =
	| { ok: true; deliveryId: string; timestamp: number; events: LiveEvent[] }
	| { ok: false; status: 400 | 401 | 413 | 500; error: string };

/**
 * Everything about a delivery that needs no storage (shared/live/delivery.ts): the signed-message check every
 * receiver shares (size, signature, age, shape: shared/live/signedMessage.ts), then whether its events belong in
 * room `roomId`. The replay check (a delivery id seen before) needs the room's memory of ids and is done by
 * DeliveryLedger, inside the room's one-at-a-time delivery queue.
 */
export async function checkDelivery(
	delivery: IncomingDelivery,
	{ secret, roomId, now = Date.now() }: { secret: string | undefined; roomId: string; now?: number }
): Promise<DeliveryCheck> {
	const checked = await verifySigned(delivery, {
		secret,
		now,
		maxAgeMs: DELIVERY_LIMITS.maxAgeMs,
		maxBodyBytes: DELIVERY_LIMITS.maxBodyBytes,
		idSchema: deliveryIdSchema,
		bodySchema: deliveryBodySchema,
		what: 'delivery'
	});
	if (!checked.ok) return checked;
	const { events } = checked.body;
	for (const event of events) {
		if (JSON.stringify(event).length > DELIVERY_LIMITS.maxEventChars) return refuse(413, `event ${event.id} is over ${DELIVERY_LIMITS.maxEventChars} characters`);
		// A tenant room holds its tenant's events only; the staff room holds everyone's.
		if (roomId !== STAFF_LIVE_ROOM && event.tenant !== roomId) return refuse(400, `event ${event.id} is not of tenant ${roomId}: deliver it to its own room`);
	}
	return { ok: true, deliveryId: checked.id, timestamp: checked.timestamp, events };
}

function refuse(status: 400 | 401 | 413 | 500, error: string): DeliveryCheck {
	return { ok: false, status, error };
}
