import { z } from 'zod';
import { accountSchema, USER_REFUSALS, type Account, type NewUser, type UserRefusal } from '$shared/crm/user';
import { listClients, listUsers } from '../bknd';
import type { ServerEnv } from '../env';
import { readAll } from './crmData';
import { postFataplusRoute, refusalCode } from './usersRoutes';

// The users page's reads and writes. Accounts are read with bknd's data API (staff may read `users`, never the
// password hash); they are created through our route (bknd/routes/users.ts), which applies who-may-create-whom.

const partnerSchema = z.object({ id: z.number(), name: z.string(), slug: z.string() }).loose();

/** An account as the users page lists it, with its tenant's or agency's name. */
export interface AccountLine {
	id: number;
	email: string;
	name: string;
	role: Account['role'];
	clientId: number | null;
	partnerId: number | null;
}

export interface UsersDirectory {
	accounts: AccountLine[];
	tenants: { id: number; name: string; slug: string }[];
	agencies: { id: number; name: string; slug: string }[];
}

/** Every account, tenant and partner agency, by name. */
export async function readDirectory(env: ServerEnv, token: string): Promise<UsersDirectory> {
	const [users, clients, partners] = await Promise.all([listUsers(env, token), listClients(env, token), readAll(env, token, 'partners', partnerSchema, { sort: 'name' })]);
	return {
		accounts: users
			.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, clientId: u.clientId, partnerId: u.partnerId }))
			.sort((a, b) => a.name.localeCompare(b.name, 'fr') || a.id - b.id),
		tenants: clients.map((c) => ({ id: c.id, name: c.name, slug: c.slug })),
		agencies: partners.map((p) => ({ id: p.id, name: p.name, slug: p.slug }))
	};
}

export type CreateAccountResult = { ok: true; account: Account } | { ok: false; code: UserRefusal };

/** Creates an account as the signed-in staff member (bknd refuses what their role may not create). */
export async function createAccount(env: ServerEnv, token: string, user: NewUser): Promise<CreateAccountResult> {
	const answer = await postFataplusRoute(env, '/api/fataplus/users', { token }, user);
	if (answer.status === 201) {
		const account = accountSchema.safeParse((answer.body as { user?: unknown } | null)?.user);
		if (account.success) return { ok: true, account: account.data };
	}
	return { ok: false, code: refusalCode(answer, USER_REFUSALS) ?? 'invalid' };
}
