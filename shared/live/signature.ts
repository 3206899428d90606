// HMAC-SHA256 signatures of live deliveries, with WebCrypto (present in workerd, Node >= 18 and browsers).

interface HmacCrypto {
	subtle: {
		importKey(format: 'raw', key: Uint8Array, algorithm: { name: 'HMAC'; hash: 'SHA-256' }, extractable: false, usages: ['sign']): Promise<unknown>;
		sign(algorithm: 'HMAC', key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
	};
}
const webCrypto = (globalThis as unknown as { crypto: HmacCrypto }).crypto;
const encoder = new TextEncoder();

/** The minimum length of `BRIDGE_SECRET`: a short secret would make signatures guessable. */
export const MIN_BRIDGE_SECRET_LENGTH = 32;

/** `sha256=<hex>` over `<timestamp>.<deliveryId>.<body>`: the timestamp and id are signed, so neither can be swapped. */
export async function signDelivery(secret: string, timestamp: number, deliveryId: string, body: string): Promise<string> {
	const key = await webCrypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
	const mac = new Uint8Array(await webCrypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${deliveryId}.${body}`)));
	return `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Compares in constant time for equal lengths, so the check does not leak how many characters matched. */
export function sameSignature(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
	return diff === 0;
}
