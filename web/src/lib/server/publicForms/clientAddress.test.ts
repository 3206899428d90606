import { describe, expect, it } from 'vitest';
import { addressFrom, LOCAL_ADDRESS } from './clientAddress';

describe('clientAddress', () => {
	it('CFIP-1: outside production a client-sent cf-connecting-ip is ignored (wrangler dev passes it through)', () => {
		expect(addressFrom(new Headers({ 'cf-connecting-ip': '203.0.113.9' }), 'development')).toBe(LOCAL_ADDRESS);
		expect(addressFrom(new Headers(), 'development')).toBe(LOCAL_ADDRESS);
	});

	it('CFIP-2: in production the address is the one Cloudflare set', () => {
		expect(addressFrom(new Headers({ 'cf-connecting-ip': ' 203.0.113.9 ' }), 'production')).toBe('203.0.113.9');
		expect(addressFrom(new Headers(), 'production')).toBe('unknown');
	});
});
