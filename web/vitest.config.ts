import { defineConfig } from 'vitest/config';

// Lets `cd web && npx vitest run` work too. The repository's root vitest.config.ts also runs these
// files (project `unit`) without SvelteKit's aliases, so unit-tested modules import with relative paths.
export default defineConfig({
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
