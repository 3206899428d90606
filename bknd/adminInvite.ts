import type { App } from 'bknd';
import { z } from 'zod';
import { accountEmailSchema, type Account } from '../shared/crm/user';
import { welcomePath, type CreatedLink } from '../shared/crm/password';
import { accountIdByEmail, createAccountRow, createPasswordLink, readAccount } from './routes/users';

// The first administrator of an installation without demo data (production never seeds: environment.ts).
// It takes a built bknd App, whatever its connection (a SQLite file today, D1 later), so the command around it
// only opens the database. The account gets a random password nobody knows, and the person sets theirs through
// the same one-time link the CRM makes (routes/users.ts: only the token's SHA-256 is stored, valid 72 h, a new
// link replaces the unused ones).

export const adminInviteSchema = z.strictObject({
	email: accountEmailSchema,
	name: z.string().trim().min(1).max(120).default('Admin Fataplus')
});
export type AdminInvite = z.input<typeof adminInviteSchema>;

export interface InvitedAdmin {
	account: Account;
	/** False when an admin with this address already existed (nothing but the link changed). */
	created: boolean;
	link: CreatedLink;
}

/** Why no link was made: the address belongs to an account that is not an admin (promoting it here would be silent). */
export class NotAnAdminError extends Error {
	constructor(email: string, role: string) {
		super(`${email} already has a ${role} account; admin:invite only creates admins or re-invites them. Change its role in the CRM.`);
	}
}

/**
 * Creates the admin account `email` (or finds it, in any letter case) and makes it a fresh one-time link.
 * @throws NotAnAdminError when the address belongs to a non-admin account; a zod error for a bad address or name.
 */
export async function inviteAdmin(app: App, input: AdminInvite, now = Date.now()): Promise<InvitedAdmin> {
	const { email, name } = adminInviteSchema.parse(input);
	let account = await accountByEmail(app, email);
	let created = false;
	if (!account) {
		const row = await createAccountRow(app, { email, name, role: 'admin', clientId: null, partnerId: null });
		// Someone created the address between the lookup and the insert: read theirs and apply the same rule.
		account = row === 'email_taken' ? await accountByEmail(app, email) : row;
		created = row !== 'email_taken';
	}
	if (!account) throw new Error(`the account ${email} vanished while it was being invited`);
	if (account.role !== 'admin') throw new NotAnAdminError(account.email, account.role);
	return { account, created, link: await createPasswordLink(app, account.id, null, now) };
}

/** The link a person opens: `<baseUrl>/welcome/<token>`. */
export function welcomeUrl(baseUrl: string, token: string): string {
	return `${baseUrl.replace(/\/+$/, '')}${welcomePath(token)}`;
}

async function accountByEmail(app: App, email: string): Promise<Account | undefined> {
	const id = await accountIdByEmail(app, email);
	return id === undefined ? undefined : readAccount(app, id);
}
