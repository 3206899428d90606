import type { z } from 'zod';
import type { sessionUserSchema } from './roleSchema';

// No zod at run time here: the root layout and the tenant hook load this module on every page.
export const ROLES = ['admin', 'designer', 'partner', 'client'] as const;
export type Role = (typeof ROLES)[number];

/** Staff are the agency's own people: they see every tenant. */
export function isStaff(role: Role): boolean {
	return role === 'admin' || role === 'designer';
}

/** A signed-in person as the web app and the rooms know them (from bknd's verified user). */
export type SessionUser = z.infer<typeof sessionUserSchema>;
