import { describe, expect, it } from 'vitest';
import { TENANT_ROBOTS, siteRobots } from './robots';

// robots.txt read the way Google and Bing read it (RFC 9309 plus `$`): the longest matching rule decides,
// Allow wins a tie, `*` matches anything and `$` the end of the address (path and query).

function rules(text: string): { allow: boolean; pattern: string }[] {
	return text
		.split('\n')
		.map((line) => /^(Allow|Disallow):\s*(\S*)/i.exec(line))
		.filter((m): m is RegExpExecArray => m !== null && m[2] !== '')
		.map((m) => ({ allow: m[1]!.toLowerCase() === 'allow', pattern: m[2]! }));
}

function crawlable(text: string, address: string): boolean {
	const matching = rules(text).filter(({ pattern }) => {
		const anchored = pattern.endsWith('$');
		const body = (anchored ? pattern.slice(0, -1) : pattern)
			.split('*')
			.map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
			.join('.*');
		return new RegExp(`^${body}${anchored ? '$' : ''}`).test(address);
	});
	if (matching.length === 0) return true;
	const longest = Math.max(...matching.map((r) => r.pattern.length));
	return matching.some((r) => r.pattern.length === longest && r.allow);
}

const site = siteRobots('https://fata.plus');

describe('robots.txt', () => {
	it.each(['/', '/?lang=en', '/bootcamp', '/bootcamp?lang=en', '/intake', '/intake?lang=en', '/_app/immutable/entry/start.js', '/favicon.svg'])(
		'ROBOTS-1: the public site is crawlable: %s',
		(address) => expect(crawlable(site, address)).toBe(true)
	);

	it.each(['/crm', '/crm/projects', '/api/health', '/api/rooms/token', '/login', '/app', '/welcome/abc', '/ferme-verte', '/ferme-verte/dashboard', '/bootcamp-ong', '/intake-agri/projects/3'])(
		'ROBOTS-2: private pages and tenant pages are not: %s',
		(address) => expect(crawlable(site, address)).toBe(false)
	);

	it('ROBOTS-3: it names the sitemap on its own origin; a tenant subdomain disallows everything', () => {
		expect(site).toMatch(/^Sitemap: https:\/\/fata\.plus\/sitemap\.xml$/m);
		for (const address of ['/', '/?lang=en', '/bootcamp', '/projects/3']) expect(crawlable(TENANT_ROBOTS, address)).toBe(false);
	});
});
