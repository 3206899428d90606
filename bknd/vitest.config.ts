import { defineConfig } from 'vitest/config';

// Runs bknd/ tests on their own, without the repository's integration global setup (which builds the web app):
//   npx vitest run --config bknd/vitest.config.ts
// The root vitest.config.ts also picks these files up in its integration tier.
export default defineConfig({
	test: {
		root: new URL('..', import.meta.url).pathname,
		include: ['bknd/**/*.test.ts'],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 120_000
	}
});
