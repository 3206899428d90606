// `npx tsx scripts/checkBundle.ts [--build] [route ...]`: the gzipped JavaScript a page of the built web app
// makes the browser load, per route, against the dashboards' budget. Exits 1 when a route is over it.
// `--build` makes a production build first; without it, the current build in web/.svelte-kit/output is read.
//
// What counts: the client entry (SvelteKit's `start` + `app` and their static imports) plus the client node of
// every layout and of the page of the route, each with its static imports, closed over the Vite manifest
// (`web/.svelte-kit/output/client/.vite/manifest.json`). Each file counts once. Dynamic imports (other
// routes) do not count, except the French message catalogue: every page loads it dynamically before it renders
// (web/src/routes/+layout.ts), so it is counted for each route as a French visitor's browser loads it.
// The route → nodes map comes from SvelteKit's server manifest of the same build.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ROOT } from './lib/root';

/** The dashboards' budget (issue 4): gzipped JavaScript a dashboard page loads. */
export const DASHBOARD_JS_BUDGET_BYTES = 80 * 1024;
/** The routes the budget applies to (SvelteKit route ids). */
export const DASHBOARD_ROUTES = ['/[tenant=tenant]', '/[tenant=tenant]/dashboard', '/crm/dashboard'] as const;

const CLIENT = join(ROOT, 'web/.svelte-kit/output/client');
const SERVER = join(ROOT, 'web/.svelte-kit/output/server');
const NODE_KEY = (index: number) => `.svelte-kit/generated/client-optimized/nodes/${index}.js`;
/** The default language's catalogue, a dynamic chunk every page loads (see the header). */
const DEFAULT_CATALOGUE_KEY = 'src/lib/i18n/fr.ts';

interface ManifestChunk {
	file: string;
	imports?: string[];
	isEntry?: boolean;
	src?: string;
}
type ViteManifest = Record<string, ManifestChunk>;

export interface RouteBundle {
	route: string;
	/**
	 * Built with Svelte's development runtime (NODE_ENV was not `production`, e.g. `test` under vitest): about
	 * 12 kB gzip more than what ships, so the figure is an upper bound.
	 */
	development: boolean;
	/** Gzipped bytes (zlib default level, as Vite reports "gzip:"), all files summed. */
	gzipBytes: number;
	rawBytes: number;
	files: string[];
}

/** The build is there (run `cd web && npx vite build`, or let the integration tier's global setup build it). */
export function hasBuild(): boolean {
	return existsSync(join(CLIENT, '.vite/manifest.json')) && existsSync(join(SERVER, 'manifest-full.js'));
}

function readManifest(): ViteManifest {
	return JSON.parse(readFileSync(join(CLIENT, '.vite/manifest.json'), 'utf8')) as ViteManifest;
}

/** `{ layouts, leaf }` node indexes of each page route, read from SvelteKit's server manifest text. */
export function routeNodes(serverManifest: string): Map<string, number[]> {
	const routes = new Map<string, number[]>();
	const pattern = /id:\s*"([^"]+)",[\s\S]*?page:\s*(null|\{\s*layouts:\s*\[([^\]]*)\][^}]*leaf:\s*(\d+)\s*\})/g;
	for (const match of serverManifest.matchAll(pattern)) {
		if (match[2] === 'null') continue;
		const layouts = match[3]!.split(',').map((n) => n.trim()).filter(Boolean).map(Number);
		routes.set(match[1]!, [...layouts, Number(match[4])]);
	}
	return routes;
}

/** Every file `keys` load statically, each once (the closure over `imports`). */
function closure(manifest: ViteManifest, keys: string[]): string[] {
	const seen = new Set<string>();
	const files = new Set<string>();
	const visit = (key: string) => {
		if (seen.has(key)) return;
		seen.add(key);
		const chunk = manifest[key];
		if (!chunk) throw new Error(`${key} is not in the Vite manifest: rebuild the web app`);
		files.add(chunk.file);
		for (const child of chunk.imports ?? []) visit(child);
	};
	for (const key of keys) visit(key);
	return [...files];
}

/** Measures the JavaScript of `routes` in the current build. */
export function measureRoutes(routes: readonly string[] = DASHBOARD_ROUTES): RouteBundle[] {
	if (!hasBuild()) throw new Error('no web build in web/.svelte-kit/output: run `cd web && npx vite build` (or pass --build)');
	const manifest = readManifest();
	const nodes = routeNodes(readFileSync(join(SERVER, 'manifest-full.js'), 'utf8'));
	const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry && chunk.file.includes('/entry/')).map(([key]) => key);
	if (entries.length === 0) throw new Error('no client entry in the Vite manifest');
	const sizes = new Map<string, { raw: number; gzip: number; dev: boolean }>();
	const size = (file: string) => {
		let known = sizes.get(file);
		if (!known) {
			const bytes = readFileSync(join(CLIENT, file));
			// Svelte's dev runtime tags elements with their source location (`__svelte_meta`); production never does.
			known = { raw: bytes.byteLength, gzip: gzipSync(bytes).byteLength, dev: bytes.includes('__svelte_meta') };
			sizes.set(file, known);
		}
		return known;
	};
	return routes.map((route) => {
		const indexes = nodes.get(route);
		if (!indexes) throw new Error(`route ${route} is not a page of this build (known: ${[...nodes.keys()].join(', ')})`);
		const files = closure(manifest, [...entries, ...indexes.map(NODE_KEY), DEFAULT_CATALOGUE_KEY]).filter((file) => file.endsWith('.js'));
		return {
			route,
			development: files.some((f) => size(f).dev),
			files,
			rawBytes: files.reduce((sum, f) => sum + size(f).raw, 0),
			gzipBytes: files.reduce((sum, f) => sum + size(f).gzip, 0)
		};
	});
}

/** Builds the web app as it ships. NODE_ENV=production: anything else (vitest sets `test`) builds Svelte's larger development runtime. */
export function buildForProduction(): void {
	execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: join(ROOT, 'web'),
		stdio: 'inherit',
		env: { ...process.env, NODE_ENV: 'production' }
	});
}

export const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

async function main() {
	const args = process.argv.slice(2);
	if (args.includes('--build')) buildForProduction();
	const routes = args.filter((a) => !a.startsWith('--'));
	const measured = measureRoutes(routes.length ? routes : DASHBOARD_ROUTES);
	let over = false;
	for (const bundle of measured) {
		const ok = bundle.gzipBytes <= DASHBOARD_JS_BUDGET_BYTES;
		over ||= !ok;
		console.log(`${bundle.route.padEnd(30)} ${kB(bundle.gzipBytes).padStart(9)} gzip (${kB(bundle.rawBytes)} raw, ${bundle.files.length} files)  ${ok ? 'ok' : 'OVER'} (budget ${kB(DASHBOARD_JS_BUDGET_BYTES)})`);
	}
	if (measured.some((b) => b.development)) console.log('Note: a development build (NODE_ENV was not production): the figures are larger than what ships. Use --build.');
	process.exitCode = over ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	main().catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exitCode = 2;
	});
}
