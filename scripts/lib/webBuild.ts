import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './root';

const OUTPUT = join(ROOT, 'web/.svelte-kit/cloudflare/_worker.js');
const SOURCES = ['web/src', 'web/static', 'shared', 'web/svelte.config.js', 'web/vite.config.ts', 'package-lock.json', 'wrangler.toml'];

/** Builds the web app with vite unless the build is newer than every source it comes from. */
export function ensureWebBuilt({ log = console.log }: { log?: (line: string) => void } = {}): void {
	if (existsSync(OUTPUT) && statSync(OUTPUT).mtimeMs >= newestSource()) return;
	log('Building the web app (vite build)…');
	execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: join(ROOT, 'web'),
		stdio: 'inherit',
		// Vitest sets NODE_ENV=test, which would ship Svelte's development runtime: tests must run the build that ships.
		env: { ...process.env, NODE_ENV: 'production' }
	});
}

function newestSource(): number {
	let newest = 0;
	const visit = (path: string) => {
		if (!existsSync(path)) return;
		const stat = statSync(path);
		if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
		else newest = Math.max(newest, stat.mtimeMs);
	};
	for (const source of SOURCES) visit(join(ROOT, source));
	return newest;
}
