import { defineConfig } from 'vitest/config';

// Three tiers. Unit tests are pure and run in parallel; integration and browser tests start real
// servers (bknd, and the rooms and the web app under wrangler dev), so their files run one at a time on our 2-core machines.
export default defineConfig({
	test: {
		projects: [
			{
				test: {
					name: 'unit',
					include: ['shared/**/*.test.ts', 'party/**/*.test.ts', 'web/src/**/*.test.ts', 'scripts/**/*.test.ts'],
					environment: 'node',
					// Both languages, as the web server holds them (web/src/lib/i18n/index.ts says why they are not static).
					setupFiles: ['web/src/lib/i18n/catalogues.server.ts']
				}
			},
			{
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts', 'bknd/**/*.test.ts'],
					environment: 'node',
					fileParallelism: false,
					globalSetup: ['tests/harness/globalSetup.ts'],
					testTimeout: 30_000,
					hookTimeout: 120_000
				}
			},
			{
				test: {
					name: 'browser',
					include: ['web/e2e/**/*.test.ts'],
					environment: 'node',
					fileParallelism: false,
					globalSetup: ['tests/harness/globalSetup.ts'],
					testTimeout: 60_000,
					hookTimeout: 240_000
				}
			}
		]
	}
});
