// Which environment bknd's entry runs in, read from the process environment once, in one place.
// `ENVIRONMENT=production` is the name the web worker's wrangler.toml uses; `NODE_ENV=production` is what Node
// hosts set. Either one means production: the secrets become required and the demo seed is refused.

type Env = Readonly<Record<string, string | undefined>>;

const ON = ['1', 'true', 'on', 'yes'];
const OFF = ['0', 'false', 'off', 'no'];

export function isProduction(env: Env): boolean {
	return env.ENVIRONMENT === 'production' || env.NODE_ENV === 'production';
}

/**
 * Whether to seed the demo accounts and data (BKND_SEED). Locally the default is yes. In production the answer
 * is always no, and asking for it is an error: the demo accounts have a published password (`fataplus-demo`).
 * The first production admin comes from `npm run admin:invite` instead.
 * @throws Error when BKND_SEED asks for the seed in production, or is not a yes/no value.
 */
export function demoSeedWanted(env: Env): boolean {
	const raw = (env.BKND_SEED ?? '').trim().toLowerCase();
	const asked = raw === '' ? undefined : ON.includes(raw) ? true : OFF.includes(raw) ? false : null;
	if (asked === null) throw new Error(`BKND_SEED must be one of ${[...ON, ...OFF].join(', ')}, got "${env.BKND_SEED}".`);
	if (!isProduction(env)) return asked ?? true;
	if (asked) {
		throw new Error(
			'BKND_SEED is refused in production (ENVIRONMENT or NODE_ENV is production): the demo accounts have a published password. Create the first admin with `npm run admin:invite -- --email <address> --env production`.'
		);
	}
	return false;
}
