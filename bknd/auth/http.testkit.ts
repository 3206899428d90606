// Small HTTP helpers for the sign-in and session tests (plain fetch, as any caller would).

export interface Answer {
	status: number;
	headers: Headers;
	body: any;
}

export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
	const res = await fetch(url, { redirect: 'manual', ...init });
	const text = await res.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// not JSON
	}
	return { status: res.status, headers: res.headers, body };
}

/** `POST /api/auth/password/login` as JSON, with extra headers (service secret, forwarded address). */
export function login(base: string, email: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
	return send(`${base}/api/auth/password/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify({ email, password })
	});
}

/** The value of bknd's `auth` cookie in a login answer (`auth=<value>`), or undefined. */
export function authCookie(answer: Answer): string | undefined {
	return answer.headers.getSetCookie().find((c) => /^auth=[^;]+/.test(c))?.split(';')[0];
}

/** The median of some numbers. */
export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
