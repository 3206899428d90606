import { z } from 'zod';

export const ROLES = ['admin', 'designer', 'partner', 'client'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Staff are the agency's own people: they see every tenant. */
export function isStaff(role: Role): boolean {
	return role === 'admin' || role === 'designer';
}

/** A signed-in person as the web app and the rooms know them (from bknd's verified user). */
export const sessionUserSchema = z.object({
	id: z.number().int().positive(),
	email: z.string(),
	name: z.string(),
	role: roleSchema,
	clientId: z.number().int().positive().nullable(),
	partnerId: z.number().int().positive().nullable()
});
export type SessionUser = z.infer<typeof sessionUserSchema>;
