// The rooms worker's local runtime, run as its own process by `startRooms` (rooms.ts): the bundle that ships
// (`wrangler deploy --dry-run`, see roomsBundle.ts) in workerd through Miniflare, served straight on the chosen port.
// `wrangler dev` put a second workerd (its dev proxy) in front of the worker, a hop production does not have: it
// doubled the 10-client fan-out tail (p99 6.3 ms on the worker's own port, 13.0 through the proxy).
// Configuration comes in ROOMS_RUNTIME (JSON), so secrets never appear on a command line.
import { Miniflare, type WorkerdStructuredLog } from 'miniflare';

export interface RoomsRuntimeConfig {
	/** The bundled worker (index.js) and what party/wrangler.toml says about it. */
	script: string;
	name: string;
	compatibilityDate: string;
	compatibilityFlags: string[];
	/** Binding name → Durable Object class, all SQLite-backed (party/wrangler.toml's `new_sqlite_classes`). */
	durableObjects: Record<string, string>;
	/** Where the objects' SQLite files live: `<dir>/<worker name>-<class>/<object>.sqlite`, as wrangler dev lays them out. */
	durableObjectsDir: string;
	port: number;
	vars: Record<string, string>;
}

const config = JSON.parse(process.env.ROOMS_RUNTIME ?? 'null') as RoomsRuntimeConfig | null;
if (!config) throw new Error('ROOMS_RUNTIME (JSON) is required');

const miniflare = new Miniflare({
	name: config.name,
	modules: true,
	scriptPath: config.script,
	compatibilityDate: config.compatibilityDate,
	compatibilityFlags: config.compatibilityFlags,
	durableObjects: Object.fromEntries(Object.entries(config.durableObjects).map(([binding, className]) => [binding, { className, useSQLite: true }])),
	durableObjectsPersist: config.durableObjectsDir,
	bindings: config.vars,
	// The worker's console lines, as wrangler dev prints them: operators and tests read them (e.g. `[live <room>] woke
	// from hibernation`). Without a handler Miniflare prints none.
	handleStructuredLogs: ({ level, message }: WorkerdStructuredLog) => (level === 'error' || level === 'warn' ? console.error : console.log)(message),
	// The worker itself listens on the port (a direct socket), as in production; Miniflare's own entry worker, a hop
	// in front of it that adds dev conveniences (request.cf, pretty errors) the rooms do not use, gets a spare port.
	host: '127.0.0.1',
	port: 0,
	unsafeDirectSockets: [{ host: '127.0.0.1', port: config.port }],
});
await miniflare.ready;
console.log(`rooms ready on http://127.0.0.1:${config.port}`);

// A clean stop disposes workerd; a SIGKILL of the process group (the durability test) kills it with us.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => void miniflare.dispose().finally(() => process.exit(0)));
}
