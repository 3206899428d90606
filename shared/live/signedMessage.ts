import type { z } from 'zod';
import { DELIVERY_HEADERS } from './delivery';
import { sameSignature, signDelivery } from './signature';

/** A signed message as it arrived: its headers, and its body text (`null` when it was over the reader's cap). */
export interface IncomingSigned {
	headers: { get(name: string): string | null };
	body: string | null;
}

export type SignedCheck<T> = { ok: true; id: string; timestamp: number; body: T } | { ok: false; status: 400 | 401 | 413 | 500; error: string };

export interface SignedRules<T> {
	/** BRIDGE_SECRET; without it nothing is accepted (500: the server is not configured). */
	secret: string | undefined;
	now: number;
	/** How far the signed timestamp may be from `now`, either way. */
	maxAgeMs: number;
	maxBodyBytes: number;
	idSchema: z.ZodType<string>;
	bodySchema: z.ZodType<T>;
	/** What the messages are called in errors: `delivery`, `notice`. */
	what: string;
}

/**
 * The headers of one signed attempt at sending `body`: what `verifySigned` checks. A retry signs again with a new
 * `id` and the current time (the receiver remembers ids, so the same id twice is a replay).
 * @example await fetch(url, { method: 'POST', body, headers: await signedHeaders(secret, body, { now: Date.now(), id }) })
 */
export async function signedHeaders(secret: string, body: string, { now, id }: { now: number; id: string }): Promise<Record<string, string>> {
	return {
		'content-type': 'application/json',
		[DELIVERY_HEADERS.timestamp]: String(now),
		[DELIVERY_HEADERS.delivery]: id,
		[DELIVERY_HEADERS.signature]: await signDelivery(secret, now, id, body)
	};
}

const TIMESTAMP = /^[0-9]{1,16}$/;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

/**
 * The one check of a signed message between our servers (bknd's deliveries to live rooms, a live room's
 * revocation notices to project rooms): size, the three signature headers, age, HMAC, then the body's shape.
 * Nothing of the body is parsed before the signature holds, so a stranger learns nothing about the shapes we
 * accept. Replays (an id seen before) need the receiver's memory and are its own check.
 */
export async function verifySigned<T>(incoming: IncomingSigned, rules: SignedRules<T>): Promise<SignedCheck<T>> {
	const { secret, what } = rules;
	if (!secret) return refuse(500, `cannot check a ${what}: BRIDGE_SECRET is missing on this server`);
	if (incoming.body === null || incoming.body.length > rules.maxBodyBytes) return refuse(413, `body over ${rules.maxBodyBytes} bytes`);
	const timestampHeader = incoming.headers.get(DELIVERY_HEADERS.timestamp) ?? '';
	const id = incoming.headers.get(DELIVERY_HEADERS.delivery) ?? '';
	const signature = incoming.headers.get(DELIVERY_HEADERS.signature) ?? '';
	if (!TIMESTAMP.test(timestampHeader) || !rules.idSchema.safeParse(id).success || !SIGNATURE.test(signature)) {
		return refuse(401, `unsigned ${what}: send ${Object.values(DELIVERY_HEADERS).join(', ')}`);
	}
	const timestamp = Number(timestampHeader);
	// Both ways: a message signed "in the future" could otherwise be replayed for as long as it stays ahead.
	if (Math.abs(rules.now - timestamp) > rules.maxAgeMs) return refuse(401, `stale ${what}: sign it again with the current time`);
	if (!sameSignature(await signDelivery(secret, timestamp, id, incoming.body), signature)) return refuse(401, 'wrong signature');

	let json: unknown;
	try {
		json = JSON.parse(incoming.body);
	} catch {
		return refuse(400, 'body is not JSON');
	}
	const parsed = rules.bodySchema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return refuse(400, `invalid ${what}: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
	}
	return { ok: true, id, timestamp, body: parsed.data };
}

function refuse(status: 400 | 401 | 413 | 500, error: string): { ok: false; status: 400 | 401 | 413 | 500; error: string } {
	return { ok: false, status, error };
}
