/** The room token secret from the rooms worker's environment (`wrangler dev --var ROOM_TOKEN_SECRET:…`, or a deployed secret). */
export function roomTokenSecret(env: { ROOM_TOKEN_SECRET?: unknown }): string | undefined {
	const secret = env.ROOM_TOKEN_SECRET;
	// Short secrets make HS256 guessable; treat them as absent so the room refuses everyone.
	return typeof secret === 'string' && secret.length >= 32 ? secret : undefined;
}
