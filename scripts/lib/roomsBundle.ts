import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './root';
import type { RoomsRuntimeConfig } from './roomsRuntime';

/** The bundle and what party/wrangler.toml's top level (local runs) says about the worker. */
export type RoomsBundle = Pick<RoomsRuntimeConfig, 'script' | 'name' | 'compatibilityDate' | 'compatibilityFlags' | 'durableObjects'>;

const ROOMS_CONFIG = join(ROOT, 'party/wrangler.toml');
// Everything the bundle is made of: the worker, what it imports, the locked dependencies and its config.
const SOURCES = ['party', 'shared', 'package-lock.json'];
const CACHE = join(ROOT, '.wrangler/rooms-bundle');

/**
 * The rooms worker exactly as `wrangler deploy -c party/wrangler.toml` uploads it (`--dry-run --outdir`: wrangler's
 * own bundling, no dev middleware), built once per content of its sources and kept under `.wrangler/rooms-bundle/<hash>/`.
 * Test files start rooms in parallel: each builds into its own folder and renames it into place, so a reader never
 * sees half a bundle. The config is read with wrangler's own reader at build time and kept beside the bundle
 * (`worker.json`): importing wrangler takes seconds, hashing the sources ~40 ms. A rebuild takes ~3 s.
 */
export async function roomsBundle(): Promise<RoomsBundle> {
	const dir = join(CACHE, sourcesHash());
	if (!existsSync(join(dir, 'worker.json'))) await build(dir);
	return { ...(JSON.parse(readFileSync(join(dir, 'worker.json'), 'utf8')) as Omit<RoomsBundle, 'script'>), script: join(dir, 'index.js') };
}

async function build(dir: string): Promise<void> {
	const building = `${dir}.${process.pid}.${Date.now()}`;
	await promisify(execFile)(
		process.execPath,
		[join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', building, '--config', ROOMS_CONFIG, '--env', ''],
		{ cwd: ROOT, env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' } }
	);
	writeFileSync(join(building, 'worker.json'), JSON.stringify(await readWorkerConfig()));
	try {
		renameSync(building, dir);
	} catch {
		rmSync(building, { recursive: true, force: true }); // another process put the same bundle in place first
	}
	// Bundles of older sources (~4 MB each with the source map) are never used again: a running server already loaded
	// its script. Folders still being built (`<hash>.<pid>.<time>`) are left to their builder.
	for (const entry of readdirSync(CACHE)) if (entry !== basename(dir) && !entry.includes('.')) rmSync(join(CACHE, entry), { recursive: true, force: true });
}

async function readWorkerConfig(): Promise<Omit<RoomsBundle, 'script'>> {
	const { unstable_readConfig } = await import('wrangler');
	const config = unstable_readConfig({ config: ROOMS_CONFIG, env: undefined }, { hideWarnings: true });
	const migrations: Array<{ new_sqlite_classes?: string[] }> = config.migrations;
	const bindings: Array<{ name: string; class_name: string }> = config.durable_objects.bindings;
	const sqlite = new Set(migrations.flatMap((migration) => migration.new_sqlite_classes ?? []));
	const notSqlite = bindings.filter((binding) => !sqlite.has(binding.class_name)).map((binding) => binding.class_name);
	if (notSqlite.length > 0) throw new Error(`the local rooms runtime only runs SQLite-backed objects: ${notSqlite.join(', ')}`);
	return {
		name: config.name!,
		compatibilityDate: config.compatibility_date!,
		compatibilityFlags: config.compatibility_flags,
		durableObjects: Object.fromEntries(bindings.map((binding) => [binding.name, binding.class_name]))
	};
}

function sourcesHash(): string {
	const hash = createHash('sha256');
	const visit = (path: string) => {
		if (statSync(path).isDirectory()) {
			for (const entry of readdirSync(path).sort()) if (entry !== 'node_modules') visit(join(path, entry));
		} else if (!path.endsWith('.test.ts')) {
			hash.update(`${relative(ROOT, path)}\0`).update(readFileSync(path)).update('\0');
		}
	};
	for (const source of SOURCES) visit(join(ROOT, source));
	return hash.digest('hex').slice(0, 16);
}
