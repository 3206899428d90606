import { z } from 'zod';
import { pageNumberSchema } from './formFields';

/** The longest search the clients list accepts; longer ones are cut. */
export const CLIENT_SEARCH_MAX = 80;

/**
 * The clients list's query string (`/crm?q=&page=`). A URL anyone can edit: nothing here fails, a bad value
 * falls back to its default.
 */
export const clientListQuerySchema = z.object({
	q: z.preprocess((v) => (typeof v === 'string' ? v.trim().slice(0, CLIENT_SEARCH_MAX) : ''), z.string()),
	page: pageNumberSchema
});
export type ClientListQuery = z.output<typeof clientListQuerySchema>;
