import { randomBytes } from 'node:crypto';
import { signedHeaders } from '../../shared/live/signedMessage';
import { roomPath } from '../../shared/roomNames';

// One delivery attempt: `POST <rooms>/ws/live/<room>/events` with `{ events }`, signed as
// shared/live/delivery.ts and signature.ts say. Every attempt gets a fresh delivery id and timestamp: a
// retry is a new delivery of the same events (same event ids), which the room drops as duplicates.

export type DeliveryOutcome =
	/** 200: the room has every event of the batch (new or duplicate). */
	| { kind: 'delivered' }
	/** 413: the batch is too big for the room; send fewer events. */
	| { kind: 'too-large' }
	/** 400: the room cannot read this batch; sending it again cannot help. */
	| { kind: 'refused'; status: number; detail: string }
	/** Anything else (down, timeout, 5xx, 401 signature, 409 replay): try again later. */
	| { kind: 'retry'; detail: string };

export interface DeliveryTarget {
	/** `http://127.0.0.1:1999`, no trailing slash. */
	roomsUrl: string;
	secret: string;
	/** One attempt gives up after this long (the room may hang). */
	timeoutMs: number;
	/**
	 * How to reach the rooms; default the global fetch. On Workers with a service binding to the rooms worker
	 * (`ROOMS`), its `fetch`: the request goes straight to that worker (no public hop), still signed.
	 */
	fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** Sends the events' JSON (already serialised, in order) to one room. Never throws. */
export async function deliver(target: DeliveryTarget, room: string, eventJsons: readonly string[], stop?: AbortSignal): Promise<DeliveryOutcome> {
	const body = `{"events":[${eventJsons.join(',')}]}`;
	const deliveryId = randomBytes(16).toString('base64url');
	const timestamp = Date.now();
	try {
		const headers = await signedHeaders(target.secret, body, { now: timestamp, id: deliveryId });
		const signals = [AbortSignal.timeout(target.timeoutMs), ...(stop ? [stop] : [])];
		const response = await (target.fetch ?? fetch)(`${target.roomsUrl}${roomPath('live', encodeURIComponent(room))}/events`, {
			method: 'POST',
			headers,
			body,
			signal: AbortSignal.any(signals)
		});
		const detail = `${response.status} ${(await response.text()).slice(0, 300)}`;
		if (response.status === 200) return { kind: 'delivered' };
		if (response.status === 413) return { kind: 'too-large' };
		if (response.status === 400) return { kind: 'refused', status: response.status, detail };
		return { kind: 'retry', detail };
	} catch (error) {
		// fetch says only "fetch failed"; the cause says why (ECONNREFUSED: the rooms are not running).
		const cause = error instanceof Error && error.cause instanceof Error ? ` (${(error.cause as NodeJS.ErrnoException).code ?? error.cause.message})` : '';
		return { kind: 'retry', detail: error instanceof Error ? `${error.name}: ${error.message}${cause}` : String(error) };
	}
}
