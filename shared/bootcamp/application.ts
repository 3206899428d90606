import { z } from 'zod';

// The bootcamp application form: ONE schema for the page (checked in the browser before sending), the web
// app's server (checked again, it is the trust boundary for visitors) and bknd's public route (checked a third
// time: bknd trusts the web server's secret, not its code). Messages are catalogue keys (web/src/lib/i18n) or
// left to web/src/lib/forms/fieldErrors.ts, which turns any other issue into a generic French message.

export const BOOTCAMP_LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type BootcampLevel = (typeof BOOTCAMP_LEVELS)[number];

/** "How did you hear of us?": a fixed list, so staff can count the channels. */
export const HEARD_FROM = ['social_media', 'word_of_mouth', 'event', 'search', 'fataplus_client', 'other'] as const;
export type HeardFrom = (typeof HEARD_FROM)[number];

/** Length limits of the fields (characters), also given to the inputs as `maxlength`. */
export const APPLICATION_LIMITS = {
	fullName: { min: 2, max: 120 },
	email: { max: 200 },
	phone: { max: 30 },
	occupation: { min: 2, max: 120 },
	motivation: { min: 30, max: 2000 },
	portfolioUrl: { max: 300 },
	/** The honeypot: a person never fills it, so any length is a bot; the cap only bounds what is read. */
	website: { max: 500 }
} as const;

/** Digits, spaces, `+ ( ) . -`: Malagasy numbers are written `+261 34 12 345 67` or `034 12 345 67`. */
const PHONE = /^\+?[0-9][0-9 ().-]{5,28}$/;

/** Form values arrive as strings; an empty optional field means "not given". */
const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
/** A checkbox: `true` from JSON, `on` from a form post. */
const checkbox = (value: unknown) => value === true || value === 'on' || value === 'true';

const L = APPLICATION_LIMITS;

// `.min(1)` before a longer minimum: an empty field reads "required", a short one "at least n characters".

export const bootcampApplicationSchema = z.object({
	cohortId: z.preprocess(emptyToUndefined, z.coerce.number('bootcamp.cohortRequired').int('bootcamp.cohortRequired').positive('bootcamp.cohortRequired')),
	fullName: z.string().trim().min(1).min(L.fullName.min).max(L.fullName.max),
	email: z.string().trim().min(1).max(L.email.max).pipe(z.email()),
	phone: z.preprocess(emptyToUndefined, z.string().trim().max(L.phone.max).regex(PHONE, 'bootcamp.phoneFormat').optional()),
	level: z.enum(BOOTCAMP_LEVELS),
	occupation: z.string().trim().min(1).min(L.occupation.min).max(L.occupation.max),
	motivation: z.string().trim().min(1).min(L.motivation.min).max(L.motivation.max),
	portfolioUrl: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).max(L.portfolioUrl.max).optional()),
	heardFrom: z.enum(HEARD_FROM),
	consent: z.preprocess(checkbox, z.literal(true, 'form.consent')),
	/** Honeypot, hidden from people: filled means a bot (the server then answers as if it had worked, and stores nothing). */
	website: z.string().max(L.website.max).optional()
});

export type BootcampApplicationInput = z.input<typeof bootcampApplicationSchema>;
export type BootcampApplication = z.output<typeof bootcampApplicationSchema>;

/** The form's field names, in the page's order (for error summaries and focus). */
export const APPLICATION_FIELDS = ['cohortId', 'fullName', 'email', 'phone', 'level', 'occupation', 'motivation', 'portfolioUrl', 'heardFrom', 'consent'] as const;
export type ApplicationField = (typeof APPLICATION_FIELDS)[number];

/** Whether the honeypot was filled (a bot). */
export function isHoneypotFilled(input: { website?: unknown }): boolean {
	return typeof input.website === 'string' && input.website.trim() !== '';
}

/** What bknd stores in `bootcamp_applications.answers` (JSON): the form without the columns and the honeypot. */
export interface StoredAnswers {
	motivation: string;
	level: BootcampLevel;
	occupation: string;
	portfolioUrl: string | null;
	heardFrom: HeardFrom;
	consent: true;
}

export function storedAnswersOf(application: BootcampApplication): StoredAnswers {
	return {
		motivation: application.motivation,
		level: application.level,
		occupation: application.occupation,
		portfolioUrl: application.portfolioUrl ?? null,
		heardFrom: application.heardFrom,
		consent: true
	};
}
