import { DEFAULT_LANG, LANGS } from '../../i18n';
import { PUBLIC_PAGES, pageUrl } from './publicPages';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * sitemap.xml: each public page in each language, each entry naming all its language versions (hreflang, as
 * Google documents for sitemaps), the bare French address as `x-default`.
 */
export function sitemap(origin: string): string {
	const entries = PUBLIC_PAGES.flatMap((path) => {
		const alternates = [
			...LANGS.map((lang) => `    <xhtml:link rel="alternate" hreflang="${lang}" href="${escapeXml(pageUrl(origin, path, lang))}"/>`),
			`    <xhtml:link rel="alternate" hreflang="x-default" href="${escapeXml(pageUrl(origin, path, DEFAULT_LANG))}"/>`
		];
		return LANGS.map((lang) => ['  <url>', `    <loc>${escapeXml(pageUrl(origin, path, lang))}</loc>`, ...alternates, '  </url>'].join('\n'));
	});
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
		...entries,
		'</urlset>',
		''
	].join('\n');
}
