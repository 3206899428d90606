import { randomBytes } from 'node:crypto';
import type { App } from 'bknd';
import { z } from 'zod';
import { readCappedJson } from '../../shared/cappedBody';
import type { BkndContext, BkndServer } from '../serverTypes';
import type { LoginThrottle } from './loginThrottle';
import { requestAddress } from './requestAddress';

// In front of bknd's password login (`POST /api/auth/password/login`), for every caller: the web app's server
// (which passes the visitor's address, see requestAddress.ts) and anyone calling bknd directly.
//
// 1. Throttle (loginThrottle.ts): a locked account or address gets 429 + `retry-after` and the password is not
//    checked at all.
// 2. Same time for known and unknown emails: bknd answers an unknown email at once (~7 ms) and a known one after
//    bcrypt (~90 ms), which tells anyone which addresses have accounts. For an email with no password account,
//    the password is compared here with a dummy bcrypt hash made by bknd's own strategy (same cost), only when
//    bknd itself would compare it (its payload schema accepts the body): bknd refuses a malformed body or a short
//    password before comparing, for known and unknown emails alike.
// 3. bknd answers; a login that set bknd's `auth` cookie is a success (JSON and form posts alike), anything
//    else stays counted as a failure.

export const LOGIN_PATH = /^\/api\/auth\/password\/login\/?$/i;
/** A login body is an email and a password; anything bigger is not one. */
export const LOGIN_BODY_LIMIT = 16 * 1024;

const loginBodySchema = z.object({ email: z.string().max(320).optional(), password: z.string().max(4096).optional() }).loose();

interface PasswordStrategy {
	hash(password: string): Promise<string>;
	compare(hash: string, password: string): Promise<boolean>;
	getPayloadSchema(): { validate(value: unknown): { valid: boolean } };
}

export function installLoginGate(server: BkndServer, options: { throttle: LoginThrottle; serviceSecret?: string }): void {
	let dummyHash: Promise<string> | undefined;
	server.use('*', async (c, next) => {
		if (c.req.method.toUpperCase() !== 'POST' || !LOGIN_PATH.test(c.req.path)) return next();
		const body = await readLoginBody(c);
		if (body === 'too_large') return c.json({ error: 'A sign-in body is an email and a password.', code: 'too_large' }, 413);
		// A form body of unknown length is not read here (unbounded), so its email could not be counted: the account
		// throttle would be skipped. Browsers and our web server always send a length.
		if (body === 'length_required') return c.json({ error: 'Send the sign-in form with a Content-Length.', code: 'length_required' }, 411);

		const email = body?.email ?? null;
		const verdict = await options.throttle.begin(email, requestAddress(c, options.serviceSecret));
		if (!verdict.ok) {
			return c.json(
				{ error: 'Too many failed sign-ins: try again later.', code: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds },
				429,
				{ 'retry-after': String(verdict.retryAfterSeconds), 'cache-control': 'no-store' }
			);
		}

		const app = c.get('app') as App;
		const strategy = app.module.auth.authenticator.strategy('password') as unknown as PasswordStrategy;
		if (body && email !== null && typeof body.password === 'string' && strategy.getPayloadSchema().validate({ email, password: body.password }).valid) {
			if (!(await hasPasswordAccount(app, email))) {
				dummyHash ??= strategy.hash(randomBytes(24).toString('base64url'));
				await strategy.compare(await dummyHash, body.password);
			}
		}

		await next();
		if (setsAuthCookie(c.res)) await options.throttle.succeeded(verdict.attempt);
	});
}

/** The body as bknd will read it (JSON or a form), from a copy so bknd still reads the original; null if unreadable. */
async function readLoginBody(c: BkndContext): Promise<z.infer<typeof loginBodySchema> | null | 'too_large' | 'length_required'> {
	const raw = c.req.raw;
	if (Number(raw.headers.get('content-length') ?? '0') > LOGIN_BODY_LIMIT) return 'too_large';
	const isJson = raw.headers.get('content-type') === 'application/json' || raw.headers.get('accept') === 'application/json';
	let value: unknown;
	if (isJson) {
		const read = await readCappedJson(raw.clone(), LOGIN_BODY_LIMIT);
		if (!read.ok) return read.status === 413 ? 'too_large' : null;
		value = read.value;
	} else {
		// A form post: bknd reads it with formData(); only a declared, small length gets here.
		if (!raw.headers.get('content-length')) return 'length_required';
		value = await raw
			.clone()
			.formData()
			.then((form) => Object.fromEntries(form.entries()))
			.catch(() => null);
	}
	const parsed = loginBodySchema.safeParse(value);
	return parsed.success ? parsed.data : null;
}

/** Whether bknd would find a password account for `email` (it compares the email exactly, as here). */
async function hasPasswordAccount(app: App, email: string): Promise<boolean> {
	const row = await app.em.connection.kysely
		.selectFrom('users')
		.select('id')
		.where('email', '=', email)
		.where('strategy', '=', 'password')
		.where('strategy_value', 'is not', null)
		.executeTakeFirst();
	return row !== undefined;
}

/** bknd sets its signed `auth` cookie on a successful login only. */
function setsAuthCookie(res: Response): boolean {
	const cookies = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [res.headers.get('set-cookie') ?? ''];
	return cookies.some((cookie) => /^auth=[^;]+/.test(cookie));
}
