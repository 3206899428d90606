import type { LiveRoom } from './LiveRoom';
import type { ProjectRoom } from './ProjectRoom';

/**
 * The rooms worker's environment (party/wrangler.toml). PartyServer routes `/ws/<party>/<room>` to the Durable
 * Object namespace whose binding name is `<party>` in kebab-case: `Project` → `project`, `Live` → `live`.
 * Secrets come from `wrangler dev --var NAME:value` locally and `wrangler secret put` in production.
 */
export interface RoomsEnv {
	Project: DurableObjectNamespace<ProjectRoom>;
	Live: DurableObjectNamespace<LiveRoom>;
	/** Signs and verifies room tokens (≥ 32 characters, shared with the web worker); without it every room refuses everyone. */
	ROOM_TOKEN_SECRET?: string;
	/** Signs live deliveries (≥ 32 characters, shared with bknd's bridge); without it live rooms refuse every delivery. */
	BRIDGE_SECRET?: string;
	/** Lifts the per-connection command limit; only `npm run bench` sets it. */
	ROOM_COMMANDS_PER_SECOND?: string;
}
