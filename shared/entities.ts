import { z } from 'zod';
import { tenantSlugSchema } from './tenantSchema';

// Enumerations shared by bknd's schema, the web forms and the rooms. bknd stores them as enum text columns.
export const PROJECT_CATEGORIES = ['agritech', 'design', 'consulting', 'bootcamp', 'other'] as const;
export const PROJECT_STATUSES = ['intake', 'planning', 'in_progress', 'review', 'completed', 'on_hold', 'cancelled'] as const;
export const LEAD_STATUSES = ['new', 'qualified', 'proposal', 'won', 'lost'] as const;
export const SHARE_ACCESS = ['editor', 'viewer'] as const;

export const projectCategorySchema = z.enum(PROJECT_CATEGORIES);
export const projectStatusSchema = z.enum(PROJECT_STATUSES);
export const leadStatusSchema = z.enum(LEAD_STATUSES);
export const shareAccessSchema = z.enum(SHARE_ACCESS);

export type ProjectStatus = z.infer<typeof projectStatusSchema>;
export type ProjectCategory = z.infer<typeof projectCategorySchema>;
export type ShareAccess = z.infer<typeof shareAccessSchema>;

// bknd answers dates as ISO strings or null; ids as numbers. `.loose()` keeps unknown columns so a later schema addition does not break readers.
const isoDate = z.string().nullable().optional();

export const clientRowSchema = z
	.object({
		id: z.number(),
		name: z.string(),
		slug: tenantSlugSchema,
		industry: z.string().nullable().optional(),
		country: z.string().nullable().optional(),
		contact_name: z.string().nullable().optional(),
		contact_email: z.string().nullable().optional(),
		contact_phone: z.string().nullable().optional(),
		created_at: isoDate,
		updated_at: isoDate
	})
	.loose();
export type ClientRow = z.infer<typeof clientRowSchema>;

export const projectRowSchema = z
	.object({
		id: z.number(),
		clients_id: z.number().nullable(),
		title: z.string(),
		description: z.string().nullable().optional(),
		category: projectCategorySchema.nullable().optional(),
		status: projectStatusSchema.nullable().optional(),
		progress: z.number().nullable().optional(),
		start_date: isoDate,
		due_date: isoDate,
		budget_mga: z.number().nullable().optional(),
		figma_file_key: z.string().nullable().optional(),
		/** Staff only: bknd never answers these to clients or partners (absent, not null, for them). */
		internal_notes: z.string().nullable().optional(),
		margin_pct: z.number().nullable().optional(),
		created_at: isoDate,
		updated_at: isoDate
	})
	.loose();
export type ProjectRow = z.infer<typeof projectRowSchema>;

export const projectShareRowSchema = z
	.object({
		id: z.number(),
		projects_id: z.number().nullable(),
		partners_id: z.number().nullable(),
		access: shareAccessSchema.nullable().optional(),
		granted_by: z.number().nullable().optional(),
		granted_at: isoDate,
		revoked_at: isoDate,
		created_at: isoDate,
		updated_at: isoDate
	})
	.loose();
export type ProjectShareRow = z.infer<typeof projectShareRowSchema>;

/** A tracked figure of a project on a date (e.g. `farmers_onboarded` against its `target`). */
export const projectMetricRowSchema = z
	.object({
		id: z.number(),
		projects_id: z.number().nullable(),
		key: z.string(),
		value: z.number(),
		target: z.number().nullable().optional(),
		unit: z.string().nullable().optional(),
		date: isoDate,
		created_at: isoDate,
		updated_at: isoDate
	})
	.loose();
export type ProjectMetricRow = z.infer<typeof projectMetricRowSchema>;

export const leadRowSchema = z
	.object({
		id: z.number(),
		title: z.string(),
		company: z.string().nullable().optional(),
		contact_name: z.string().nullable().optional(),
		email: z.string().nullable().optional(),
		phone: z.string().nullable().optional(),
		status: leadStatusSchema.nullable().optional(),
		source: z.string().nullable().optional(),
		clients_id: z.number().nullable().optional(),
		created_at: isoDate,
		updated_at: isoDate
	})
	.loose();
export type LeadRow = z.infer<typeof leadRowSchema>;
