import type { BkndServer } from '../serverTypes';

// bknd's default CORS answers any Origin with `access-control-allow-origin: <that origin>` and credentials, so
// any site could read bknd's answers with the visitor's `auth` cookie. config.ts sets `server.cors` to the
// app's own origins; bknd's CORS middleware then simply adds no header for others, but the request itself would
// still run with the cookie (a credentialed POST needs no preflight). So this gate, first of all middleware,
// refuses every request whose `Origin` is not one of ours, preflights included: nothing runs for a foreign page.
// Requests without `Origin` (servers: the web app's, the tests', curl) are not from a browser page and pass.

/** The origins from a comma-separated list (`BKND_APP_ORIGINS`): exact `scheme://host[:port]`, no trailing slash. */
export function parseOrigins(list: string): string[] {
	return list
		.split(',')
		.map((origin) => origin.trim().replace(/\/+$/, ''))
		.filter((origin) => origin.length > 0);
}

export function installOriginGate(server: BkndServer, origins: readonly string[]): void {
	server.use('*', async (c, next) => {
		const origin = c.req.header('origin');
		if (origin !== undefined && !origins.includes(origin)) {
			return c.json({ error: 'This origin may not call bknd.', code: 'foreign_origin' }, 403, { vary: 'origin' });
		}
		return next();
	});
}
