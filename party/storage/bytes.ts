/**
 * Byte helpers for chunked values. Every stored value is an exact copy: a structured clone (what Durable
 * Object storage does to values) serialises a view's whole underlying ArrayBuffer, so storing
 * `big.subarray(0, 10)` would store, and count against the 128 KiB limit, all of `big`.
 */

/** `bytes` itself when it spans its whole buffer, otherwise a copy that does. */
export function exactBytes(bytes: Uint8Array): Uint8Array {
	return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** Splits `bytes` into exact copies of at most `max` bytes (one empty part for empty input). */
export function splitBytes(bytes: Uint8Array, max: number): Uint8Array[] {
	if (bytes.byteLength <= max) return [exactBytes(bytes)];
	const parts: Uint8Array[] = [];
	for (let offset = 0; offset < bytes.byteLength; offset += max) parts.push(bytes.slice(offset, offset + max));
	return parts;
}

/** Concatenates parts back (no copy for a single part). */
export function joinBytes(parts: Uint8Array[]): Uint8Array {
	if (parts.length === 1) return parts[0];
	const out = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.byteLength;
	}
	return out;
}
