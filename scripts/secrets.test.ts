import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './lib/root';

// .dev.vars.example is the list an operator follows to set secrets with `wrangler secret put` (docs/deploy.md).
// A secret the code reads but the list forgets is a Worker that fails in production (or runs on a dev default);
// a wrong `workers:` line is a secret set on one Worker and not on the one that shares it. So the list is
// compared with the code: every secret-like name a Worker reads from its environment.

const SECRET_LIKE = /SECRET|_KEY$|PASSWORD/;
type Worker = 'web' | 'rooms' | 'bknd';

/** Source files of a folder, without tests and dependencies. */
function sources(dir: string): string[] {
	const out: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (entry.isDirectory()) {
			if (!['node_modules', '.wrangler', '.svelte-kit'].includes(entry.name)) out.push(...sources(join(dir, entry.name)));
		} else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) out.push(join(dir, entry.name));
	}
	return out;
}

/**
 * Names a Worker's sources read from their environment: `env.NAME`, `env['NAME']`, `process.env.NAME`, or a
 * quoted `'NAME'` handed to a reader (bknd/settings.ts: `secret('BKND_JWT_SECRET', …)`, `text(env, 'DEMO_PASSWORD')`).
 */
function namesRead(files: string[]): Set<string> {
	const names = new Set<string>();
	const reads = /\benv(?:\.|\[['"])([A-Z][A-Z0-9_]*)|['"]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"]/g;
	for (const file of files) for (const match of readFileSync(file, 'utf8').matchAll(reads)) names.add((match[1] ?? match[2])!);
	return names;
}

/** The secrets each Worker reads, from its code. The web worker declares all of its variables in env.ts (ENV_KEYS). */
function secretsInCode(): Map<string, Set<Worker>> {
	const readers: Record<Worker, Set<string>> = {
		web: namesRead([join(ROOT, 'web/src/lib/server/env.ts')]),
		rooms: namesRead(sources(join(ROOT, 'party'))),
		bknd: namesRead(sources(join(ROOT, 'bknd')))
	};
	const out = new Map<string, Set<Worker>>();
	for (const [worker, names] of Object.entries(readers) as [Worker, Set<string>][]) {
		for (const name of names) if (SECRET_LIKE.test(name)) out.set(name, new Set([...(out.get(name) ?? []), worker]));
	}
	return out;
}

/** `NAME → workers` from .dev.vars.example (`# workers: a, b` above each `NAME=`). */
function secretsListed(): Map<string, Set<string>> {
	const out = new Map<string, Set<string>>();
	let workers: Set<string> | null = null;
	for (const line of readFileSync(join(ROOT, '.dev.vars.example'), 'utf8').split('\n')) {
		const declared = /^# workers: (.+)$/.exec(line);
		if (declared) workers = new Set(declared[1]!.split(',').map((w) => w.trim()));
		const entry = /^([A-Z][A-Z0-9_]*)=/.exec(line);
		if (entry) {
			out.set(entry[1]!, workers ?? new Set());
			workers = null;
		}
	}
	return out;
}

const sorted = (map: Map<string, Set<string>>) => Object.fromEntries([...map].map(([name, set]) => [name, [...set].sort()]).sort());

describe('.dev.vars.example: the secrets list', () => {
	it('SECRETS-1: lists every secret the web, rooms and bknd code reads, each with exactly the workers that read it', () => {
		const inCode = secretsInCode();
		expect(inCode.size).toBeGreaterThanOrEqual(5);
		expect(sorted(secretsListed())).toEqual(sorted(inCode));
	});

	it('SECRETS-2: every value is empty (the example never carries a real secret)', () => {
		const filled = readFileSync(join(ROOT, '.dev.vars.example'), 'utf8')
			.split('\n')
			.filter((line) => /^[A-Z][A-Z0-9_]*=./.test(line));
		expect(filled).toEqual([]);
	});
});
