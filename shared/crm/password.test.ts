import { describe, expect, it } from 'vitest';
import { consumeLinkBodySchema, newPasswordSchema, passwordSetSchema, PASSWORD_LINK_TOKEN_PATTERN } from './password';

const messages = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
	result.error?.issues.map((i) => `${i.path.join('.')}:${i.message}`) ?? [];

describe('password rules', () => {
	it('PWD-1 a new password has at least 10 characters and at most 72 bytes (what bcrypt reads)', () => {
		expect(newPasswordSchema.safeParse('123456789').success).toBe(false);
		expect(newPasswordSchema.safeParse('1234567890').success).toBe(true);
		expect(newPasswordSchema.safeParse('          ').success).toBe(false);
		expect(newPasswordSchema.safeParse('a'.repeat(72)).success).toBe(true);
		expect(messages(newPasswordSchema.safeParse('a'.repeat(73)))).toEqual([':users.passwordTooLong']);
		// 37 accented letters are 74 bytes: refused although only 37 characters.
		expect(newPasswordSchema.safeParse('é'.repeat(37)).success).toBe(false);
	});

	it('PWD-2 the confirmation must match, and the message sits on the confirmation field', () => {
		expect(passwordSetSchema.safeParse({ password: 'bonjour-tana-2026', confirm: 'bonjour-tana-2026' }).success).toBe(true);
		expect(messages(passwordSetSchema.safeParse({ password: 'bonjour-tana-2026', confirm: 'bonjour-tana-2027' }))).toEqual(['confirm:users.passwordMismatch']);
		expect(messages(passwordSetSchema.safeParse({ password: 'court', confirm: 'court' }))).toEqual(['password:users.passwordTooShort']);
	});

	it('PWD-3 bknd reads only a well-formed token and a valid password, nothing else', () => {
		const token = 'A'.repeat(43);
		expect(PASSWORD_LINK_TOKEN_PATTERN.test(token)).toBe(true);
		expect(consumeLinkBodySchema.safeParse({ token, password: 'bonjour-tana-2026' }).success).toBe(true);
		expect(consumeLinkBodySchema.safeParse({ token: `${token}=`, password: 'bonjour-tana-2026' }).success).toBe(false);
		expect(consumeLinkBodySchema.safeParse({ token: '../../etc', password: 'bonjour-tana-2026' }).success).toBe(false);
		expect(consumeLinkBodySchema.safeParse({ token, password: 'bonjour-tana-2026', role: 'admin' }).success).toBe(false);
	});
});
