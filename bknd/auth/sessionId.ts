import { randomBytes } from 'node:crypto';
import type { App } from 'bknd';

// bknd's JWT holds the user's fields, `iat` and `exp` only: two sign-ins of one account in the same second get
// the very same token, so ending one session (auth/sessions.ts keeps ended tokens by hash) would end the other,
// and a sign-in right after a sign-out would get back the token just ended. Each token gets a random session
// id, `sid`, listed in `auth.jwt.fields` (config.ts) so bknd keeps it: bknd signs through
// `authenticator.jwt(user)`, wrapped here to add the id. Installed at every build (onBuilt), as bknd rebuilds
// its modules. Measured on bknd 0.20.0 (`jwt` is an instance method called by its login).

export const SESSION_ID_CLAIM = 'sid';

export function giveEachTokenAnId(app: App): void {
	const authenticator = app.module.auth.authenticator as unknown as { jwt(user: Record<string, unknown>): Promise<string>; __sid?: true };
	if (authenticator.__sid) return;
	const sign = authenticator.jwt.bind(authenticator);
	authenticator.jwt = (user) => sign({ ...user, [SESSION_ID_CLAIM]: randomBytes(12).toString('base64url') });
	authenticator.__sid = true;
}
