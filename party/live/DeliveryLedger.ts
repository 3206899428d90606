import { DELIVERY_LIMITS } from '../../shared/live/delivery';
import { deleteTogether, padNumber, type LiveStorage } from './LiveStorage';

// Storage layout (see LiveLog.ts for the log's):
//   delivery:id:<delivery id>                    when the record may be forgotten (Unix ms)
//   delivery:exp:<that time, 16 digits>:<id>     1: the same record ordered by time, so expired ones are listed in one call
const ID_PREFIX = 'delivery:id:';
const EXPIRY_PREFIX = 'delivery:exp:';

/**
 * The delivery ids a live room has accepted, kept as long as a copy of that delivery could still pass the age
 * check (its signed timestamp, or its arrival if later, plus `maxAgeMs`): a captured delivery replayed within
 * the window gets 409, and after it the age check refuses it anyway.
 */
export class DeliveryLedger {
	constructor(
		private readonly storage: LiveStorage,
		private readonly now: () => number = Date.now
	) {}

	/** Whether `deliveryId` was accepted and may still be replayed. */
	async seen(deliveryId: string): Promise<boolean> {
		const until = await this.storage.get<number>(ID_PREFIX + deliveryId);
		return until !== undefined && until >= this.now();
	}

	/** The entries that record an accepted delivery; written in the same atomic write as its events (LiveLog.append). */
	record(deliveryId: string, timestamp: number): Record<string, unknown> {
		// One second of slack past the age window, so no clock rounding reopens it.
		const until = Math.max(timestamp, this.now()) + DELIVERY_LIMITS.maxAgeMs + 1000;
		return { [ID_PREFIX + deliveryId]: until, [`${EXPIRY_PREFIX}${padNumber(until)}:${deliveryId}`]: 1 };
	}

	/** Forgets up to `max` records that can no longer be replayed; returns how many. */
	async forgetExpired(max = 512): Promise<number> {
		const expired = await this.storage.list<number>({ prefix: EXPIRY_PREFIX, end: `${EXPIRY_PREFIX}${padNumber(this.now())}`, limit: max });
		const keys: string[] = [];
		for (const key of expired.keys()) keys.push(key, ID_PREFIX + key.slice(EXPIRY_PREFIX.length + 17));
		await deleteTogether(this.storage, keys);
		return expired.size;
	}
}
