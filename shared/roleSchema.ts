import { z } from 'zod';
import { ROLES } from './roles';

export const roleSchema = z.enum(ROLES);

/** A signed-in person as the web app and the rooms know them (from bknd's verified user). */
export const sessionUserSchema = z.object({
	id: z.number().int().positive(),
	email: z.string(),
	name: z.string(),
	role: roleSchema,
	clientId: z.number().int().positive().nullable(),
	partnerId: z.number().int().positive().nullable()
});
