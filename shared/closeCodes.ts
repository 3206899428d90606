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
	rateLimited: 4429,
	/** The room failed (its storage, or a bug): nothing was wrong with the client, and reconnecting may work. */
	internalError: 4500
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/**
 * The close reasons a client acts on, sent beside the codes above (as tldraw exports its close reasons next to its
 * codes): a client reads why it was closed from here, never guesses it from its own state. Other reasons carry
 * detail for logs and developers (e.g. which limit), not for decisions.
 */
export const CLOSE_REASON = {
	/** 4403: a partner agency's share of this project was revoked; its older tokens are refused from now on. */
	accessRevoked: 'access revoked',
	/** 4403: a partner watching a tenant's live room has no shared project left in it. */
	noSharedProject: 'no shared project left in this room',
	/** 4401: the token expired before the socket renewed it. */
	tokenExpired: 'token expired: renew it to stay connected',
	/** 4401: a renewal named another user or tenant than the socket's. */
	accessChanged: 'your access changed: reconnect',
	/** 4500: the room could not load its documents or log. */
	roomUnavailable: 'the room could not load, please retry',
	/** 4500: a message handler failed; the room goes on serving the others. */
	internalError: 'internal error'
} as const;

