/**
 * WebSocket close codes and HTTP statuses the rooms use, mirroring HTTP (Hocuspocus-style).
 * Clients read them to tell the user why a room closed; never reuse a number for another meaning.
 */
export const CLOSE = {
	/** The message could not be parsed or failed validation (a malformed binary frame, garbage Yjs, an unknown channel). */
	badMessage: 4400,
	/** Token missing, forged, expired or for another audience: fetch a new token before reconnecting. */
	unauthorized: 4401,
	/** Valid token, but not for this room (other tenant, project not granted, access revoked). Do not retry. */
	forbidden: 4403,
	/** A frame over the size limit (WIRE_LIMITS.frameBytes, UTF-8 bytes for text). */
	tooLarge: 4413,
	/** Too many messages too fast: over a limit for a sustained window, or Yjs bytes past their budget (WIRE_LIMITS). Reconnecting is allowed. */
	rateLimited: 4429
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

