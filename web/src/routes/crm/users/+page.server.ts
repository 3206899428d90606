import { canManageRole, newUserSchema, passwordLinkFormSchema, readUserFilters } from '$shared/crm/user';
import { createAccount, readDirectory, type UsersDirectory } from '$lib/server/crm/users';
import { makePasswordLink } from '$lib/server/crm/passwordLinks';
import { formFailure, staffAction, staffFormLoad } from '$lib/server/crm/staffForms';
import type { Actions, PageServerLoad } from './$types';

const EMPTY: UsersDirectory = { accounts: [], tenants: [], agencies: [] };

/** Every account (staff only), filtered by role, tenant or agency; the viewer's role says which they may manage. */
export const load: PageServerLoad = (event) =>
	staffFormLoad(event, { directory: EMPTY, filters: readUserFilters(event.url.searchParams), viewerRole: null as string | null, manageable: {} as Record<number, boolean> }, async ({ env, token, user }) => {
		const filters = readUserFilters(event.url.searchParams);
		const directory = await readDirectory(env, token);
		const accounts = directory.accounts.filter(
			(a) => (filters.role === null || a.role === filters.role) && (filters.clientId === null || a.clientId === filters.clientId) && (filters.partnerId === null || a.partnerId === filters.partnerId)
		);
		return {
			directory: { ...directory, accounts },
			filters,
			viewerRole: user.role,
			manageable: Object.fromEntries(accounts.map((a) => [a.id, canManageRole(user.role, a.role)]))
		};
	});

export const actions: Actions = {
	/**
	 * A new account, then its first sign-in link (shown once). bknd decides who may create whom (a designer: clients
	 * and partners only); its refusals come back next to the field concerned.
	 */
	create: (event) =>
		staffAction(event, 'create', newUserSchema, async ({ env, token, data, values }) => {
			const created = await createAccount(env, token, data);
			if (!created.ok) {
				switch (created.code) {
					case 'email_taken':
						return formFailure(409, { form: 'create', values, errors: { email: { key: 'users.emailTaken' } } });
					case 'forbidden_role':
						return formFailure(403, { form: 'create', values, errors: { role: { key: 'users.error.forbidden_role' } } });
					case 'unknown_tenant':
						return formFailure(400, { form: 'create', values, errors: { clientId: { key: 'users.error.unknown_tenant' } } });
					case 'unknown_agency':
						return formFailure(400, { form: 'create', values, errors: { partnerId: { key: 'users.error.unknown_agency' } } });
					case 'invalid':
					case 'not_found':
						return formFailure(400, { form: 'create', values, message: 'users.error.invalid' });
					default: {
						const never: never = created.code;
						return never;
					}
				}
			}
			const link = await makePasswordLink(env, token, created.account.id, event.url.origin);
			return { created: { email: created.account.email, link: link.ok ? link.link : null } };
		}),

	/** A new sign-in (or reset) link for an account; the account's older unused links stop working. */
	link: (event) =>
		staffAction(event, 'link', passwordLinkFormSchema, async ({ env, token, data, values }) => {
			const link = await makePasswordLink(env, token, data.userId, event.url.origin);
			if (!link.ok) return formFailure(link.code === 'not_found' ? 404 : 403, { form: 'link', values, message: `users.error.${link.code}` });
			return { link: { userId: data.userId, ...link.link } };
		})
};
