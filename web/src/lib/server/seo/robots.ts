import { PUBLIC_PAGES } from './publicPages';

// robots.txt cannot list tenant pages (`/<slug>`, any slug a client gets), so it disallows everything and allows
// the public pages back: Google and Bing apply the most specific (longest) matching rule, Allow winning a tie,
// and honour `$` (end of the address). `/bootcamp$` plus `/bootcamp?` rather than a bare `/bootcamp` prefix,
// which would also open a tenant named `bootcamp-ong`. `/_app/` holds the scripts and styles crawlers need to
// render the pages. A tenant subdomain (`<slug>.fata.plus`) is a tenant's space from its root: nothing there.

/** robots.txt for the site's own host, naming the sitemap at `origin`. */
export function siteRobots(origin: string): string {
	const allowed = PUBLIC_PAGES.flatMap((path) => (path === '/' ? ['/$', '/?'] : [`${path}$`, `${path}?`]));
	return [
		'# Fataplus: the public site is indexed (home, bootcamp, intake, in French and English);',
		'# sign-in, the CRM, the API and the tenant spaces are not.',
		'User-agent: *',
		...allowed.map((path) => `Allow: ${path}`),
		'Allow: /_app/',
		'Allow: /favicon.svg',
		'Disallow: /crm',
		'Disallow: /api',
		'Disallow: /',
		'',
		`Sitemap: ${origin}/sitemap.xml`,
		''
	].join('\n');
}

/** robots.txt for a tenant subdomain: a tenant's space, never indexed. */
export const TENANT_ROBOTS = '# A tenant space of Fataplus: private.\nUser-agent: *\nDisallow: /\n';
