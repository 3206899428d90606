import { z } from 'zod';
import { clientSlugSchema } from './clientSlug';
import { optionalEmail, optionalPhone, optionalText, requiredText } from './formFields';

/**
 * The client (tenant) form of the CRM, create and edit alike, checked in the browser and again by the server.
 * Its output is a bknd `clients` body (column names as keys, `null` for empty fields).
 */
export const clientFormSchema = z.object({
	name: requiredText(120),
	slug: clientSlugSchema,
	industry: optionalText(120),
	country: optionalText(80),
	contact_name: optionalText(120),
	contact_email: optionalEmail(),
	contact_phone: optionalPhone()
});
export type ClientForm = z.output<typeof clientFormSchema>;
