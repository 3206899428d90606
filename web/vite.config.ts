import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const port = Number(process.env.PORT) || 5173;

export default defineConfig({
	plugins: [sveltekit()],
	server: {
		port,
		strictPort: !!process.env.PORT,
		// `*.localhost` is allowed by default; tenant subdomains of the real domain need a leading dot.
		allowedHosts: ['.fata.plus'],
		fs: { allow: ['..'] }
	},
	preview: {
		port,
		strictPort: !!process.env.PORT,
		allowedHosts: ['.fata.plus']
	}
});
