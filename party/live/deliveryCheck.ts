import { DELIVERY_HEADERS, DELIVERY_LIMITS, deliveryBodySchema, deliveryIdSchema } from '../../shared/live/delivery';
import type { LiveEvent } from '../../shared/live/events';
import { sameSignature, signDelivery } from '../../shared/live/signature';
import { STAFF_LIVE_ROOM } from '../../shared/tenants';

/** A delivery as it arrived: its headers, and its body text (`null` when it was over `maxBodyBytes`). */
export interface IncomingDelivery {
	headers: { get(name: string): string | null };
	body: string | null;
}

export type DeliveryCheck =
	| { ok: true; deliveryId: string; timestamp: number; events: LiveEvent[] }
	| { ok: false; status: 400 | 401 | 413 | 500; error: string };

const TIMESTAMP = /^[0-9]{1,16}$/;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

/**
 * Everything about a delivery that needs no storage (shared/live/delivery.ts): size, signature, age, shape,
 * and whether its events belong in room `roomId`. The replay check (a delivery id seen before) needs the
 * room's memory of ids and is done by DeliveryLedger, inside the room's one-at-a-time delivery queue.
 *
 * Order matters only in what a stranger can learn: nothing about the body is parsed before the signature holds.
 */
export async function checkDelivery(
	delivery: IncomingDelivery,
	{ secret, roomId, now = Date.now() }: { secret: string | undefined; roomId: string; now?: number }
): Promise<DeliveryCheck> {
	if (!secret) return refuse(500, 'live deliveries are not configured (BRIDGE_SECRET missing)');
	if (delivery.body === null) return refuse(413, `body over ${DELIVERY_LIMITS.maxBodyBytes} bytes`);

	const timestampHeader = delivery.headers.get(DELIVERY_HEADERS.timestamp) ?? '';
	const deliveryId = delivery.headers.get(DELIVERY_HEADERS.delivery) ?? '';
	const signature = delivery.headers.get(DELIVERY_HEADERS.signature) ?? '';
	if (!TIMESTAMP.test(timestampHeader) || !deliveryIdSchema.safeParse(deliveryId).success || !SIGNATURE.test(signature)) {
		return refuse(401, `unsigned delivery: send ${Object.values(DELIVERY_HEADERS).join(', ')}`);
	}
	const timestamp = Number(timestampHeader);
	// Both ways: a delivery signed "in the future" could otherwise be replayed for as long as it stays ahead.
	if (Math.abs(now - timestamp) > DELIVERY_LIMITS.maxAgeMs) return refuse(401, 'stale delivery: sign it again with the current time');
	const expected = await signDelivery(secret, timestamp, deliveryId, delivery.body);
	if (!sameSignature(expected, signature)) return refuse(401, 'wrong signature');

	let json: unknown;
	try {
		json = JSON.parse(delivery.body);
	} catch {
		return refuse(400, 'body is not JSON');
	}
	const parsed = deliveryBodySchema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return refuse(400, `invalid delivery: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
	}
	const { events } = parsed.data;
	for (const event of events) {
		if (JSON.stringify(event).length > DELIVERY_LIMITS.maxEventChars) return refuse(413, `event ${event.id} is over ${DELIVERY_LIMITS.maxEventChars} characters`);
		// A tenant room holds its tenant's events only; the staff room holds everyone's.
		if (roomId !== STAFF_LIVE_ROOM && event.tenant !== roomId) return refuse(400, `event ${event.id} is not of tenant ${roomId}: deliver it to its own room`);
	}
	return { ok: true, deliveryId, timestamp, events };
}

function refuse(status: 400 | 401 | 413 | 500, error: string): DeliveryCheck {
	return { ok: false, status, error };
}
