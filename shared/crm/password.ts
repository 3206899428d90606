import { z } from 'zod';
import { utf8Length } from '../utf8Length';

// One-time password links: staff create one for a user (first login or reset) and pass it on themselves; the
// person opens `/welcome/<token>` and chooses a password. Only the SHA-256 of the token is stored (bknd
// `password_links.token_hash`), so a copy of the database opens no account; the token is shown once.

/** How long a link works. Three days: time to forward it, short enough that a forgotten link dies. */
export const PASSWORD_LINK_TTL_HOURS = 72;

/** A token: 32 random bytes in base64url (43 characters, no padding). */
export const PASSWORD_LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const passwordLinkTokenSchema = z.string().regex(PASSWORD_LINK_TOKEN_PATTERN, 'users.linkUnknown');

export const PASSWORD_MIN = 10;
/** bcrypt reads the first 72 bytes of a password and ignores the rest: longer ones are refused, not cut silently. */
export const PASSWORD_MAX_BYTES = 72;


/** A new password: at least 10 characters, at most 72 bytes. Messages are catalogue keys (fieldErrors.ts). */
export const newPasswordSchema = z
	.string()
	.min(PASSWORD_MIN, 'users.passwordTooShort')
	.refine((password) => utf8Length(password) <= PASSWORD_MAX_BYTES, 'users.passwordTooLong')
	.refine((password) => password.trim().length > 0, 'users.passwordTooShort');

/** The `/welcome/<token>` form: the password twice. */
export const passwordSetSchema = z
	.object({ password: newPasswordSchema, confirm: z.string() })
	.refine((values) => values.password === values.confirm, { path: ['confirm'], message: 'users.passwordMismatch' });
export type PasswordSet = z.infer<typeof passwordSetSchema>;

/** `POST /api/fataplus/password-links/consume` (the web app's server, with the service secret). */
export const consumeLinkBodySchema = z.strictObject({ token: passwordLinkTokenSchema, password: newPasswordSchema });
/** `POST /api/fataplus/password-links/check`: is this link still usable, and for which account. */
export const checkLinkBodySchema = z.strictObject({ token: passwordLinkTokenSchema });

/** Why a link cannot be used; each has its own message (users.link*). */
export const LINK_REFUSALS = ['unknown', 'used', 'expired'] as const;
export type LinkRefusal = (typeof LINK_REFUSALS)[number];

/** What bknd answers for a usable link (check) or a used one (consume): whose account it opens. */
export const linkAccountSchema = z.object({ userId: z.number().int().positive(), email: z.string(), name: z.string().nullable() });
export type LinkAccount = z.infer<typeof linkAccountSchema>;

/** A freshly made link, as bknd answers it to the staff member (once). */
export const createdLinkSchema = z.object({ userId: z.number().int().positive(), token: passwordLinkTokenSchema, expiresAt: z.string() });
export type CreatedLink = z.infer<typeof createdLinkSchema>;

/** The page a token opens, on the web app's origin. */
export function welcomePath(token: string): string {
	return `/welcome/${token}`;
}
