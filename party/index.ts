import { routePartykitRequest } from 'partyserver';
import { PARTIES, ROOMS_PATH_PREFIX } from '../shared/roomNames';
import { LiveRoom } from './LiveRoom';
import { ProjectRoom } from './ProjectRoom';
import type { RoomsEnv } from './roomsEnv';

// The Durable Object classes must be exports of the worker's entry (party/wrangler.toml names them).
export { LiveRoom, ProjectRoom };

const KNOWN_PARTIES: ReadonlySet<string> = new Set(Object.values(PARTIES));

/**
 * The rooms worker: `/ws/project/<tenant>.<id>` and `/ws/live/<tenant>` go to their Durable Object through
 * PartyServer's router, after the room's own checks here at the edge (a refused client gets an HTTP status and
 * `{ error }` before any upgrade, and stray HTTP never wakes an object). Everything else is 404.
 */
export default {
	async fetch(request: Request, env: RoomsEnv): Promise<Response> {
		// PartyServer answers an unknown `<party>` with a plain-text 400 and an error log; ours is a quiet JSON 404.
		const [prefix, party] = new URL(request.url).pathname.split('/').filter(Boolean);
		const routed =
			prefix === ROOMS_PATH_PREFIX && party !== undefined && KNOWN_PARTIES.has(party)
				? await routePartykitRequest(request, env, {
						prefix: ROOMS_PATH_PREFIX,
						onBeforeConnect: (req, lobby) =>
							lobby.className === 'Project' ? ProjectRoom.beforeConnect(req, lobby.name, env) : LiveRoom.beforeConnect(req, lobby.name, env),
						onBeforeRequest: (req, lobby) =>
							lobby.className === 'Project' ? ProjectRoom.beforeRequest(req, lobby.name, env) : LiveRoom.beforeRequest(req, lobby.name)
					})
				: null;
		return routed ?? Response.json({ error: 'not found' }, { status: 404, headers: { 'cache-control': 'no-store' } });
	}
} satisfies ExportedHandler<RoomsEnv>;
