import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { serve } from '@hono/node-server';
import type { App } from 'bknd';
import { createRuntimeApp } from 'bknd/adapter';
import { $console } from 'bknd/utils';
import { createBkndConfig } from './config';
import { seedDemo } from './seed';

export interface StartBkndOptions {
	/** The SQLite file; its folder is created if missing. */
	dbPath: string;
	/** 0 picks a free port. Default 1337. */
	port?: number;
	/** Default 127.0.0.1 (never listen on every interface by accident). */
	host?: string;
	jwtSecret: string;
	/** Password of the demo users (default `fataplus-demo`). */
	demoPassword?: string;
	/** Seed the demo data (idempotent). Default true. */
	seed?: boolean;
	/** bknd's own log level; `warn` keeps its per-request logs quiet. Default `warn`. */
	logLevel?: 'critical' | 'error' | 'warn' | 'info' | 'log' | 'debug';
}

export interface RunningBknd {
	/** `http://<host>:<port>`, no trailing slash. */
	url: string;
	port: number;
	app: App;
	/** Stops listening, then closes the database. */
	close(): Promise<void>;
}

/**
 * Boots bknd on a SQLite file and serves it over HTTP; resolves once it answers requests.
 *
 * @example
 * const bknd = await startBknd({ dbPath: '/tmp/t.sqlite', port: 0, jwtSecret: 'test' });
 * await fetch(`${bknd.url}/api/auth/password/login`, ...); await bknd.close();
 */
export async function startBknd(opts: StartBkndOptions): Promise<RunningBknd> {
	// bknd logs through a global console whose level is shared by every app in the process.
	$console.setLevel(opts.logLevel ?? 'warn');
	mkdirSync(dirname(opts.dbPath), { recursive: true });

	const { config, client } = createBkndConfig({
		dbPath: opts.dbPath,
		jwtSecret: opts.jwtSecret,
		onBuilt: opts.seed === false ? undefined : (app) => seedDemo(app, { password: opts.demoPassword })
	});
	// WAL + NORMAL: about twice the write throughput of the default journal on these machines (BKND.md), and
	// readers no longer wait for a writer. Set before bknd opens its first query.
	await client.execute('PRAGMA journal_mode=WAL');
	await client.execute('PRAGMA synchronous=NORMAL');

	let app: App;
	try {
		// `args` is required by bknd's adapter when the config's `app` is a function (code mode makes it one).
		app = await createRuntimeApp(config, {});
	} catch (error) {
		client.close();
		throw error;
	}

	const host = opts.host ?? '127.0.0.1';
	const server = await new Promise<Server>((resolve, reject) => {
		const s = serve({ fetch: app.fetch, port: opts.port ?? 1337, hostname: host }, () => resolve(s as Server));
		s.once('error', reject);
	});
	const port = (server.address() as AddressInfo).port;

	return {
		url: `http://${host}:${port}`,
		port,
		app,
		close: async () => {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				// Keep-alive sockets would hold close() open until they time out.
				server.closeAllConnections();
			});
			client.close();
		}
	};
}
