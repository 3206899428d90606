import { describe, expect, it } from 'vitest';
import { sitemap } from './sitemap';

const xml = sitemap('https://fata.plus');
const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);

describe('sitemap.xml', () => {
	it('SITEMAP-1: lists /, /bootcamp and /intake in French and English, and nothing else', () => {
		expect(locs.sort()).toEqual(
			['https://fata.plus/', 'https://fata.plus/?lang=en', 'https://fata.plus/bootcamp', 'https://fata.plus/bootcamp?lang=en', 'https://fata.plus/intake', 'https://fata.plus/intake?lang=en'].sort()
		);
	});

	it('SITEMAP-2: each entry names its language versions (hreflang fr, en, x-default)', () => {
		const entries = xml.split('<url>').slice(1);
		expect(entries).toHaveLength(6);
		for (const entry of entries) {
			const path = /<loc>https:\/\/fata\.plus(\/[a-z]*)/.exec(entry)![1];
			expect(entry).toContain(`hreflang="fr" href="https://fata.plus${path}"`);
			expect(entry).toContain(`hreflang="en" href="https://fata.plus${path}?lang=en"`);
			expect(entry).toContain(`hreflang="x-default" href="https://fata.plus${path}"`);
		}
		expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9" xmlns:xhtml="http:\/\/www\.w3\.org\/1999\/xhtml">/);
	});
});
