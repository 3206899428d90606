import { dirname, join, resolve } from 'node:path';
import type { Client } from '@libsql/client';
import { libsql } from 'bknd';
import type { RuntimeBkndConfig } from 'bknd/adapter';
import { createAppConfig, type AppConfigOptions } from './appConfig';
import type { LiveBridge } from './bridge/LiveBridge';
import { LOCAL_MEDIA_ADAPTER, registerLocalMediaAdapter } from './LocalMediaAdapter';
import { LibsqlSql } from './sql/libsqlSql';
import { openSqliteFile } from './sqliteFile';

// The Node side of bknd's configuration: a libsql SQLite file and a local media folder around the one shared
// configuration (appConfig.ts), for `npm start`, the tests and the admin tools.

export { JWT_EXPIRES_SECONDS, LOCAL_APP_ORIGINS, PRODUCTION_APP_ORIGINS } from './appConfig';

export interface BkndConfigOptions extends Omit<AppConfigOptions, 'connection' | 'sql' | 'media'> {
	/** The SQLite file (created if missing). */
	dbPath: string;
	/** Uploaded media (frame images) go here; created if missing. Default: `media/` beside the SQLite file. */
	mediaDir?: string;
}

export interface BkndConfig {
	config: RuntimeBkndConfig;
	/** The libsql client under bknd's connection, so the caller can close it. */
	client: Client;
	/** Present when `options.bridge` was given: `start()` it once the app is built, `stop()` it before closing `client`. */
	bridge?: LiveBridge;
}

/**
 * The configuration handed to `createRuntimeApp` from `bknd/adapter` on Node: appConfig.ts on a libsql file.
 *
 * @example
 * const { config } = createBkndConfig({ dbPath: '.data/bknd.sqlite', jwtSecret });
 * const app = await createRuntimeApp(config, {});
 */
export function createBkndConfig(options: BkndConfigOptions): BkndConfig {
	const { dbPath, mediaDir, ...shared } = options;
	if (!shared.jwtSecret) throw new Error('bknd: a JWT secret is required (BKND_JWT_SECRET)');
	// bknd's default SQLite driver needs node:sqlite (Node >= 22.13); libsql runs on Node 20.
	const client = openSqliteFile(dbPath);
	registerLocalMediaAdapter();
	const { config, bridge } = createAppConfig({
		...shared,
		connection: libsql(client),
		sql: new LibsqlSql(client),
		media: { type: LOCAL_MEDIA_ADAPTER, config: { path: resolve(mediaDir ?? join(dirname(dbPath), 'media')) } }
	});
	return { config, client, bridge };
}
