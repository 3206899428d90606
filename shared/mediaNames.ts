// Stored media (frame images uploaded through bknd's media module): the names both bknd and the web app
// accept, and the image types they allow. A name encodes the project it belongs to, so whoever serves the
// bytes can decide access from the name alone (bknd's `media.file.read` is one global permission, docs/bknd.md):
//
//   p<projectId>-<32 lowercase hex>.<png|jpg|webp|gif>      e.g. p12-0f1e2d3c4b5a69788796a5b4c3d2e1f0.png
//
// The server (bknd/mediaRules.ts) chooses every name; a client never names a file. Anything else (`..`,
// `/`, `\`, NUL, an absolute path, another extension, upper case) does not match and is refused.

/** The image types a frame may show, by the extension a stored name carries. Never SVG: it can carry scripts. */
export const MEDIA_IMAGE_TYPES = {
	png: 'image/png',
	jpg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif'
} as const;

export type MediaExtension = keyof typeof MEDIA_IMAGE_TYPES;

/** Largest image accepted, in bytes (5 MiB): a full-page mock-up exported as PNG stays well below it. */
export const MAX_MEDIA_BYTES = 5 * 1024 * 1024;

/** Slack for the multipart envelope (boundaries, part headers) around one file of at most MAX_MEDIA_BYTES. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Length of the random part of a name, in hex digits (128 bits: names cannot be guessed). */
export const MEDIA_RANDOM_HEX_LENGTH = 32;

/** The only shape of a stored name. Anchored, ASCII only, no separators: nothing can climb out of the media folder. */
export const MEDIA_NAME_PATTERN = /^p([1-9][0-9]{0,9})-([0-9a-f]{32})\.(png|jpg|webp|gif)$/;

export interface MediaName {
	projectId: number;
	extension: MediaExtension;
	/** The content type the bytes are served with. */
	contentType: (typeof MEDIA_IMAGE_TYPES)[MediaExtension];
}

/**
 * The project and type a stored name stands for, or `null` for anything that is not exactly such a name.
 * @example parseMediaName('p12-0f1e2d3c4b5a69788796a5b4c3d2e1f0.png') // { projectId: 12, extension: 'png', contentType: 'image/png' }
 * @example parseMediaName('../p12-x.png') // null
 */
export function parseMediaName(name: string): MediaName | null {
	const match = MEDIA_NAME_PATTERN.exec(name);
	if (!match) return null;
	const projectId = Number(match[1]);
	const extension = match[3] as MediaExtension;
	if (!Number.isSafeInteger(projectId)) return null;
	return { projectId, extension, contentType: MEDIA_IMAGE_TYPES[extension] };
}

/**
 * A stored name for a new image of `projectId`; `randomHex` must come from a cryptographic source.
 * @example mediaName(12, randomBytes(16).toString('hex'), 'png')
 */
export function mediaName(projectId: number, randomHex: string, extension: MediaExtension): string {
	const name = `p${projectId}-${randomHex}.${extension}`;
	if (!MEDIA_NAME_PATTERN.test(name)) throw new Error(`invalid media name parts: project ${projectId}, ${randomHex.length} hex digits, .${extension}`);
	return name;
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
	bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);
const ascii = (text: string) => [...text].map((ch) => ch.charCodeAt(0));

/**
 * The image type the bytes really are (by their magic numbers, whatever a file name or a header claims),
 * or `null` when they are none of png, jpeg, webp, gif (an SVG, a text file named `.png`...).
 */
export function sniffImageType(bytes: Uint8Array): MediaExtension | null {
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpg';
	if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
	if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
	return null;
}
