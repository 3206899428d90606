import adapter from '@sveltejs/adapter-cloudflare';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({
			// One wrangler.toml at the repository root serves the worker; the adapter reads `main` and
			// `assets.directory` from it, and `vite dev` / `vite preview` read its [vars] through getPlatformProxy.
			config: '../wrangler.toml',
			platformProxy: { configPath: '../wrangler.toml', persist: false }
		}),
		alias: {
			// Schemas and pure rules shared with party/ and bknd/ (the repository's shared/ folder, see its README).
			$shared: '../shared'
		}
	}
};

export default config;
