import { z } from 'zod';
import { passwordLinkTokenSchema } from './password';
import { clientSlugSchema } from './clientSlug';
import { accountEmailSchema } from './user';

// Converting a won lead: one request makes the client (tenant), its first project and the invited client user,
// and hands back a one-time password link for that user (bknd/routes/convert.ts). Staff choose the slug and may
// correct the names and the address taken from the lead before sending.

/** The convert form, and the body of `POST /api/fataplus/leads/:id/convert`. */
export const convertLeadSchema = z.strictObject({
	slug: clientSlugSchema,
	clientName: z.string().trim().min(1, 'form.required').max(120),
	contactName: z.string().trim().min(1, 'form.required').max(120),
	contactEmail: accountEmailSchema
});
export type ConvertLead = z.infer<typeof convertLeadSchema>;

/**
 * Why bknd refused or undid a conversion (`{ error, code }`): each has its own French message (leads.convert*).
 * `failed` means a step failed for another reason and everything made before it was undone.
 */
export const CONVERT_REFUSALS = ['invalid', 'not_found', 'not_won', 'already_converted', 'in_progress', 'slug_taken', 'email_taken', 'failed'] as const;
export type ConvertRefusal = (typeof CONVERT_REFUSALS)[number];

/** What a conversion made, with the invited user's one-time link token (shown once, never stored in clear). */
export const convertAnswerSchema = z.object({
	client: z.object({ id: z.number().int().positive(), slug: z.string(), name: z.string() }),
	project: z.object({ id: z.number().int().positive(), title: z.string() }),
	user: z.object({ id: z.number().int().positive(), email: z.string() }),
	link: z.object({ token: passwordLinkTokenSchema, expiresAt: z.string() })
});
export type ConvertAnswer = z.infer<typeof convertAnswerSchema>;
