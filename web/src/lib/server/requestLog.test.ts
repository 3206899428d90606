import { describe, expect, it } from 'vitest';
import { requestLogLine, type LoggedRequest } from './requestLog';

// The log line a request leaves in Workers Logs. It must say which route answered, how and how fast, for which
// tenant, and nothing anyone could use to find a person or take over an account.

const SECRET_BITS = ['hery@ferme-verte.mg', 'hery%40ferme-verte.mg', 'tok_9f8e7d6c5b4a', '203.0.113.7', 'fp_session', 'Bearer', 'password'];

function event(path: string, routeId: string | null, params: Record<string, string> = {}, host = 'fata.plus', method = 'GET'): LoggedRequest {
	const url = new URL(`https://${host}${path}`);
	const request = new Request(url, {
		method,
		headers: {
			cookie: 'fp_session=tok_9f8e7d6c5b4a; lang=fr',
			authorization: 'Bearer tok_9f8e7d6c5b4a',
			'cf-connecting-ip': '203.0.113.7',
			'x-forwarded-for': '203.0.113.7'
		}
	});
	return { route: { id: routeId }, params, url, request };
}

describe('request log line', () => {
	it('REQLOG-1: one JSON line with the route id (not the path), method, status, duration and tenant', () => {
		const line = requestLogLine(event('/ferme-verte/dashboard', '/[tenant=tenant]/dashboard', { tenant: 'ferme-verte' }), 200, 12.6);
		expect(line).not.toContain('\n');
		expect(JSON.parse(line)).toEqual({ route: '/[tenant=tenant]/dashboard', method: 'GET', status: 200, ms: 13, tenant: 'ferme-verte' });
	});

	it('REQLOG-2: the tenant of a tenant subdomain comes from the host when the route has no tenant parameter', () => {
		const line = JSON.parse(requestLogLine(event('/api/rooms/token', '/api/rooms/token', {}, 'atelier-sud.fata.plus', 'POST'), 201, 3));
		expect(line).toMatchObject({ route: '/api/rooms/token', method: 'POST', tenant: 'atelier-sud' });
		expect(JSON.parse(requestLogLine(event('/', '/', {}, 'www.fata.plus'), 200, 1)).tenant).toBeNull();
	});

	it('REQLOG-3: no email, token, IP, cookie or query string, even when the path and query carry them', () => {
		const lines = [
			requestLogLine(event('/welcome/tok_9f8e7d6c5b4a', '/welcome/[token]', { token: 'tok_9f8e7d6c5b4a' }), 200, 5),
			requestLogLine(event('/crm/users?email=hery@ferme-verte.mg&password=x', '/crm/users'), 200, 5),
			requestLogLine(event('/hery@ferme-verte.mg?token=tok_9f8e7d6c5b4a', null), 404, 1),
			requestLogLine(event('/hery%40ferme-verte.mg', '/[tenant=tenant]', { tenant: 'hery@ferme-verte.mg' }), 404, 1)
		];
		for (const line of lines) for (const bit of SECRET_BITS) expect(line).not.toContain(bit);
		expect(JSON.parse(lines[0]!).route).toBe('/welcome/[token]');
		expect(JSON.parse(lines[2]!)).toEqual({ route: null, method: 'GET', status: 404, ms: 1, tenant: null });
		expect(JSON.parse(lines[3]!).tenant).toBeNull();
	});

	it('REQLOG-4: an unusual method is logged as OTHER, so the line never echoes what a client sent', () => {
		expect(JSON.parse(requestLogLine(event('/', '/', {}, 'fata.plus', 'PROPFIND'), 405, 0)).method).toBe('OTHER');
	});
});
