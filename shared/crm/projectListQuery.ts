import { z } from 'zod';
import { projectCategorySchema, projectStatusSchema } from '../entities';
import { pageNumberSchema } from './formFields';

const FLAG_ON = new Set(['1', 'true', 'on']);

/**
 * The projects list's filters from its query string (`/crm/projects?tenant=&status=&category=&late=1&page=`).
 * A URL anyone can edit: a bad value drops that filter instead of failing.
 */
export const projectListQuerySchema = z.object({
	tenant: z.coerce.number().int().positive().nullable().catch(null),
	status: projectStatusSchema.nullable().catch(null),
	category: projectCategorySchema.nullable().catch(null),
	late: z.preprocess((v) => typeof v === 'string' && FLAG_ON.has(v), z.boolean()),
	page: pageNumberSchema
});
export type ProjectListQuery = z.output<typeof projectListQuerySchema>;
