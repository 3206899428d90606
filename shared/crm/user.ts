import { z } from 'zod';
import { ROLES, type Role } from '../roles';

// Staff create the accounts of the people they work with; nobody registers on their own (bknd hole 1 is closed).
// Who may create whom (USERS-n in bknd/routes/users.test.ts):
// - an admin creates any account, staff included;
// - a designer creates client users (of a tenant) and partner users (of an agency), never staff: otherwise a
//   designer could make themselves an admin, or mint a password link that takes over a colleague's account.
// The same rule decides who may make a password link for whom.

/** The roles `actor` may create accounts for (and make password links for); empty for non-staff. */
export function rolesManageableBy(actor: Role): readonly Role[] {
	switch (actor) {
		case 'admin':
			return ROLES;
		case 'designer':
			return ['client', 'partner'];
		case 'client':
		case 'partner':
			return [];
		default: {
			const never: never = actor;
			return never;
		}
	}
}

/** Whether `actor` may create, or make a password link for, an account of role `target`. */
export function canManageRole(actor: Role, target: Role): boolean {
	return rolesManageableBy(actor).includes(target);
}

/** An email as accounts store it: trimmed, lower case (bknd compares emails exactly; sign-in lower-cases). */
export const accountEmailSchema = z.string().trim().toLowerCase().max(254, 'form.tooLong').pipe(z.email('form.email'));

/** A form's optional id: an empty select is "none". */
const optionalId = z.preprocess((value) => (value === '' || value === null || value === undefined ? undefined : Number(value)), z.number().int().positive().optional());

/**
 * A new account, as the /crm/users form and `POST /api/fataplus/users` read it. A client account belongs to a
 * tenant (`clientId`), a partner account to an agency (`partnerId`); staff to neither (ignored if sent).
 */
export const newUserSchema = z
	.strictObject({
		email: accountEmailSchema,
		name: z.string().trim().min(1, 'form.required').max(120),
		role: z.enum(ROLES, 'form.choose'),
		clientId: optionalId,
		partnerId: optionalId
	})
	.superRefine((user, ctx) => {
		if (user.role === 'client' && user.clientId === undefined) ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'users.tenantRequired' });
		if (user.role === 'partner' && user.partnerId === undefined) ctx.addIssue({ code: 'custom', path: ['partnerId'], message: 'users.agencyRequired' });
	})
	.transform((user) => ({
		email: user.email,
		name: user.name,
		role: user.role,
		clientId: user.role === 'client' ? (user.clientId ?? null) : null,
		partnerId: user.role === 'partner' ? (user.partnerId ?? null) : null
	}));
export type NewUser = z.output<typeof newUserSchema>;

/** Why bknd refused to create an account (`{ error, code }`); each has its own message (users.error*). */
export const USER_REFUSALS = ['invalid', 'forbidden_role', 'email_taken', 'unknown_tenant', 'unknown_agency', 'not_found'] as const;
export type UserRefusal = (typeof USER_REFUSALS)[number];

/** An account as the users routes answer it (never a password or its hash). */
export const accountSchema = z.object({
	id: z.number().int().positive(),
	email: z.string(),
	name: z.string().nullable(),
	role: z.enum(ROLES),
	clientId: z.number().int().positive().nullable(),
	partnerId: z.number().int().positive().nullable()
});
export type Account = z.infer<typeof accountSchema>;

/** The users page's "make a sign-in link" button: which account. */
export const passwordLinkFormSchema = z.strictObject({ userId: z.coerce.number().int().positive() });

/** The users list's filters (query string): a role, a tenant, an agency; anything unreadable is ignored. */
export function readUserFilters(params: { get(name: string): string | null }): { role: Role | null; clientId: number | null; partnerId: number | null } {
	const id = (value: string | null) => (value && /^[1-9][0-9]{0,14}$/.test(value) ? Number(value) : null);
	const role = params.get('role');
	return { role: (ROLES as readonly string[]).includes(role ?? '') ? (role as Role) : null, clientId: id(params.get('client')), partnerId: id(params.get('partner')) };
}
