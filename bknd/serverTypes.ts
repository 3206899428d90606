import type { middlewares, ModuleManagerOptions } from 'bknd';

// bknd ships its own copy of hono (4.10) and types its server with it; the root `hono` is another version.
// Deriving the types from bknd's own signatures keeps our middleware typed against the hono bknd runs.

/** bknd's Hono server, as handed to `options.manager.onServerInit`. */
export type BkndServer = Parameters<NonNullable<ModuleManagerOptions['onServerInit']>>[0];
/** A middleware on that server. */
export type BkndMiddleware = ReturnType<typeof middlewares.auth>;
export type BkndContext = Parameters<BkndMiddleware>[0];
export type BkndNext = Parameters<BkndMiddleware>[1];

/** The verified JWT claims bknd puts on the request (config.ts `jwt.fields`), plus our per-request scope. */
export interface RequestUser {
	id?: number;
	email?: string;
	role?: string;
	name?: string;
	client_id?: number | null;
	partner_id?: number | null;
	/** Partner only, computed per request by partnerScope.ts (never from the token). */
	shared_project_ids?: number[];
	shared_client_ids?: number[];
}
