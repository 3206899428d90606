import { z } from 'zod';

// The project brief a visitor sends through the public intake (/intake): the questions the agency's own brief
// asks today. One schema for the page (each step validates its own fields with `.pick`), the web server
// (POST /api/leads) and bknd (POST /api/fataplus/public/leads), so all three accept exactly the same thing.
// Messages are i18n keys of the web app's catalogue (`form.*`, `intake.*`): lib/forms/fieldErrors.ts turns
// them into French or English text; every other issue gets a generic `form.*` message there.
// Every text is trimmed and bounded, every list capped: the whole brief always fits the 64 KiB body limit.

export const INDUSTRIES = ['agritech', 'fintech', 'healthtech', 'edtech', 'ecommerce', 'retail', 'manufacturing', 'government', 'nonprofit', 'other'] as const;
export const COMPANY_SIZES = ['startup', 'sme', 'large', 'organization', 'individual'] as const;
/** In MGA: small < 500,000; medium 500,000-1,000,000; large 1,000,000-5,000,000; enterprise > 5,000,000 (BUDGET_BANDS_MGA). */
export const BUDGETS = ['small', 'medium', 'large', 'enterprise'] as const;
/** urgent < 1 month; short 1-3 months; medium 3-6 months; long 6-12 months; extended > 12 months (TIMELINE_WEEKS). */
export const TIMELINES = ['urgent', 'short', 'medium', 'long', 'extended'] as const;
/** What the agency makes. */
export const PROJECT_TYPES = ['website', 'web_app', 'mobile_app', 'dashboard', 'design_system', 'ux_research', 'ux_audit', 'branding', 'prototype'] as const;
/** What the visitor already has, so the agency does not redo it. */
export const EXISTING_ASSETS = ['logo', 'brand_guidelines', 'website', 'mobile_app', 'mockups', 'content', 'user_research'] as const;

export type Industry = (typeof INDUSTRIES)[number];
export type CompanySize = (typeof COMPANY_SIZES)[number];
export type Budget = (typeof BUDGETS)[number];
export type Timeline = (typeof TIMELINES)[number];
export type ProjectType = (typeof PROJECT_TYPES)[number];
export type ExistingAsset = (typeof EXISTING_ASSETS)[number];

/**
 * The budget bands in ariary, as the form states them. `enterprise` has no upper bound on the form; its `max`
 * is where the offline analyser stops its range (three times the floor).
 */
export const BUDGET_BANDS_MGA: Readonly<Record<Budget, { min: number; max: number }>> = {
	small: { min: 200_000, max: 500_000 },
	medium: { min: 500_000, max: 1_000_000 },
	large: { min: 1_000_000, max: 5_000_000 },
	enterprise: { min: 5_000_000, max: 15_000_000 }
};

/** The length of each timeline in weeks, for planning phases (the middle of each band, capped at a year). */
export const TIMELINE_WEEKS: Readonly<Record<Timeline, number>> = { urgent: 4, short: 10, medium: 20, long: 36, extended: 52 };

/** Limits of the brief's fields (the form shows them as `maxlength`). */
export const BRIEF_LIMITS = {
	title: 120,
	company: 120,
	contactName: 120,
	email: 254,
	phone: 30,
	longText: 2000,
	mediumText: 1000,
	feature: 200,
	features: 15
} as const;

/** Digits, spaces and the usual punctuation of phone numbers (+261 34 12 345 67, (020) 22-123-45). */
const PHONE = /^\+?[0-9 ().-]{6,30}$/;

/** Empty says "required" (the first issue is the one shown), too short says how long it must be. */
const text = (min: number, max: number) => z.string().trim().min(1).min(min).max(max);
const optionalText = (max: number) => z.string().trim().max(max);
const features = z.array(z.string().trim().min(1).max(BRIEF_LIMITS.feature)).max(BRIEF_LIMITS.features);
const distinct = <T>(values: readonly T[]) => new Set(values).size === values.length;

export const intakeBriefSchema = z.object({
	// 1. Contact
	contactName: text(2, BRIEF_LIMITS.contactName),
	email: z.string().trim().min(1).max(BRIEF_LIMITS.email).pipe(z.email()),
	phone: optionalText(BRIEF_LIMITS.phone).refine((value) => value === '' || PHONE.test(value), 'intake.phoneInvalid'),
	company: optionalText(BRIEF_LIMITS.company),
	companySize: z.enum(COMPANY_SIZES),
	// 2. The project
	title: text(3, BRIEF_LIMITS.title),
	industry: z.enum(INDUSTRIES),
	projectTypes: z.array(z.enum(PROJECT_TYPES)).min(1).max(PROJECT_TYPES.length).refine(distinct, 'form.invalid'),
	problem: text(20, BRIEF_LIMITS.longText),
	vision: text(20, BRIEF_LIMITS.longText),
	// 3. Needs
	audience: text(5, BRIEF_LIMITS.mediumText),
	impact: text(5, BRIEF_LIMITS.mediumText),
	mustHave: features,
	niceToHave: features,
	existingAssets: z.array(z.enum(EXISTING_ASSETS)).max(EXISTING_ASSETS.length).refine(distinct, 'form.invalid'),
	assetsNotes: optionalText(BRIEF_LIMITS.mediumText),
	// 4. Budget and timeline
	budget: z.enum(BUDGETS),
	timeline: z.enum(TIMELINES),
	// 5. Consent to be contacted and to have the brief analysed
	consent: z.literal(true, 'form.consent')
});

export type IntakeBrief = z.output<typeof intakeBriefSchema>;
/** The brief's field names, in the order the form asks them. */
export type BriefField = keyof IntakeBrief;
export const BRIEF_FIELDS = Object.keys(intakeBriefSchema.shape) as BriefField[];
