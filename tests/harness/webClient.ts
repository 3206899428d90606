import { request } from 'node:http';
import { DEMO_PASSWORD } from './stack';

export interface WebResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	json<T = any>(): T;
}

/**
 * One HTTP request to the web app. Uses node:http rather than fetch because fetch ignores a
 * `Host` header and Node does not resolve `*.localhost`: tenant subdomains need both.
 */
export function webRequest(
	baseUrl: string,
	path: string,
	{ method = 'GET', cookie, body, host, headers = {} }: { method?: string; cookie?: string; body?: unknown; host?: string; headers?: Record<string, string> } = {}
): Promise<WebResponse> {
	const url = new URL(path, baseUrl);
	const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = request(
			{
				hostname: '127.0.0.1',
				port: url.port,
				path: url.pathname + url.search,
				method,
				headers: {
					host: host ?? url.host,
					...(cookie ? { cookie } : {}),
					...(payload !== undefined ? { 'content-type': 'application/json', origin: baseUrl } : {}),
					...headers
				}
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => (text += chunk));
				res.on('end', () =>
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) })
				);
			}
		);
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

/** Signs in through the web app's JSON endpoint and returns the session cookie (`name=value`). */
export async function signIn(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<string> {
	const response = await webRequest(baseUrl, '/api/session', { method: 'POST', body: { email, password } });
	if (response.status !== 200) throw new Error(`sign-in ${email}: ${response.status} ${response.body}`);
	return sessionCookie(response);
}

export function sessionCookie(response: WebResponse): string {
	const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
	const session = setCookie.find((c) => c.startsWith('fp_session='));
	if (!session) throw new Error('no session cookie');
	return session.split(';')[0]!;
}
