import { z } from 'zod';
import { roleSchema } from './roleSchema';

/** What a client shows of itself in a room's awareness state. */
export const presenceSchema = z.object({
	userId: z.string(),
	name: z.string().max(200),
	role: roleSchema,
	color: z.string().regex(/^#[0-9a-f]{6}$/)
});
export type Presence = z.infer<typeof presenceSchema>;

export { presenceColor } from './presenceColor';
