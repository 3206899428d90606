/**
 * Room tokens live one minute and connected clients renew them every 30 s (an `auth` message).
 * The short life is how a revoked share or a removed user loses an open room within 60 s:
 * the web app refuses the renewal and the room closes the socket when the old token expires.
 */
export const ROOM_TOKEN_TTL_SECONDS = 60;
export const ROOM_TOKEN_RENEW_BEFORE_SECONDS = 30;
