/**
 * The storage calls the probe runs, as JSON: byte values travel as `{ $bytes: <base64> }`, everything else as is.
 * Shared by the probe worker (storageProbe.ts) and the test's client (probeStorage.ts). No platform imports.
 */
export type ProbeCall =
	| { op: 'list'; options: Record<string, unknown> }
	| { op: 'put'; entries: Record<string, unknown> }
	| { op: 'delete'; keys: string[] };

export function encodeValue(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { $bytes: toBase64(v) } : v));
}

export function decodeValue<T = unknown>(text: string): T {
	return JSON.parse(text, (_key, v: unknown) =>
		v && typeof v === 'object' && typeof (v as { $bytes?: unknown }).$bytes === 'string' ? fromBase64((v as { $bytes: string }).$bytes) : v
	) as T;
}

function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}
