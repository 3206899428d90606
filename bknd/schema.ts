import { datetime, date, em, entity, enumm, json, number, systemEntity, text } from 'bknd';
import { LEAD_STATUSES, PROJECT_CATEGORIES, PROJECT_STATUSES, SHARE_ACCESS } from '../shared/entities';
import { ROLES } from '../shared/roles';

// The CRM schema, declared in code (bknd "code mode"): the database follows this file, never the admin UI.
// Relations keep bknd's DEFAULT names (`clients_id`, `projects_id`, `partners_id`): in 0.19/0.20 `with=` on a
// renamed relation answers 500 (docs/bknd.md), and shared/entities.ts already reads these column names.

const list = (values: readonly string[]) => [...values];

/** A tenant: one client organisation, reachable at `<slug>.fata.plus`. */
export const clients = entity('clients', {
	name: text().required(),
	// Unique index below; the pattern and the reserved names are checked by dataRules.ts on insert/update.
	slug: text().required(),
	industry: text(),
	country: text(),
	contact_name: text(),
	contact_email: text(),
	contact_phone: text(),
	created_at: datetime(),
	// Stamped on every write (dataRules.ts, bridge/bulkWrites.ts): the live bridge's revision (bridge/README.md).
	updated_at: datetime()
});

export const projects = entity('projects', {
	title: text().required(),
	description: text(),
	category: enumm({ enum: list(PROJECT_CATEGORIES) }),
	// Enum defaults live in dataRules.ts: bknd's enumm() keeps only `enum` and drops `default_value`.
	status: enumm({ enum: list(PROJECT_STATUSES) }),
	progress: number({ minimum: 0, maximum: 100, default_value: 0 }),
	start_date: date(),
	due_date: date(),
	// Whole ariary (MGA has no minor unit in practice): bknd ignores `multipleOf`, dataRules.ts checks it.
	budget_mga: number({ minimum: 0 }),
	figma_file_key: text(),
	// Staff only (INTERNAL_FIELDS below): never answered to clients or partners, over REST or in live rooms.
	internal_notes: text(),
	margin_pct: number(),
	created_at: datetime(),
	updated_at: datetime()
});

/** A partner agency that the studio shares individual projects with. */
export const partners = entity('partners', {
	name: text().required(),
	slug: text().required(),
	contact_email: text(),
	country: text()
});

/** One project shared with one partner agency; a share is ended by setting `revoked_at`, never by deleting it. */
export const project_shares = entity('project_shares', {
	access: enumm({ enum: list(SHARE_ACCESS) }),
	// The id of the user who granted it (kept as a plain number: it is an audit trail, not a relation to join on).
	granted_by: number(),
	granted_at: datetime(),
	revoked_at: datetime(),
	created_at: datetime(),
	updated_at: datetime()
});

export const leads = entity('leads', {
	title: text().required(),
	company: text(),
	contact_name: text(),
	email: text(),
	phone: text(),
	status: enumm({ enum: list(LEAD_STATUSES) }),
	source: text(),
	// The visitor's whole intake brief as submitted (shared/intake/brief.ts), kept even if the analysis fails.
	brief: json(),
	industry: text(),
	// The intake analysis (shared/intake/analysis.ts), shown to staff only; `analysis_source` says who made it
	// (`claude` or `offline`) and `analysis_status` where it stands (`pending`, `done`).
	analysis: json(),
	analysis_source: text(),
	analysis_status: text(),
	// The French proposal draft, written by the analysis and then edited by staff.
	proposal_draft: text(),
	// `clients_id` (relation below) is set once the lead has become a client: the client it became.
	created_at: datetime(),
	updated_at: datetime()
});

/** A tracked figure of a project over time (agritech dashboards): one row per key and date. */
export const project_metrics = entity('project_metrics', {
	key: text().required(),
	value: number().required(),
	target: number(),
	unit: text(),
	date: date(),
	created_at: datetime(),
	updated_at: datetime()
});

/** A cohort of the 12-week Figma bootcamp, shown on the public /bootcamp page. */
export const bootcamp_cohorts = entity('bootcamp_cohorts', {
	title: text().required(),
	start_date: date(),
	weeks: number({ minimum: 1 }),
	seats: number({ minimum: 0 }),
	price_mga: number({ minimum: 0 }),
	// `open` takes applications; `closed`, `running` and `finished` do not.
	status: text(),
	created_at: datetime(),
	updated_at: datetime()
});

/** An application to a bootcamp cohort (public form); staff move it through review to completion. */
export const bootcamp_applications = entity('bootcamp_applications', {
	full_name: text().required(),
	email: text().required(),
	phone: text(),
	// The whole form as submitted (shared/bootcamp/application.ts).
	answers: json(),
	// received → accepted | waitlisted | rejected; accepted → enrolled → completed | dropped.
	status: text(),
	created_at: datetime(),
	updated_at: datetime()
});

/**
 * One-time links that let a new user set (or a user reset) their password. Only a hash of the token is
 * stored; the link itself is shown once to the staff member who made it.
 */
export const password_links = entity('password_links', {
	user_id: number().required(),
	token_hash: text().required(),
	purpose: text(),
	expires_at: datetime(),
	used_at: datetime(),
	created_by: number(),
	created_at: datetime()
});

/**
 * bknd's own `users` entity, extended. bknd turns `role` into an enum of the keys of `auth.roles`
 * (see policies.ts, keyed by shared/roles.ts ROLES); `client_id` / `partner_id` say which tenant or agency
 * a client or partner user belongs to and travel in the JWT (config.ts `jwt.fields`).
 */
export const users = systemEntity('users', {
	role: enumm({ enum: list(ROLES) }),
	name: text(),
	client_id: number(),
	partner_id: number(),
	/** Bumped by a password change: tokens carrying an older value are refused (auth/sessions.ts). Null = 0. */
	session_version: number()
});

export const schema = em(
	{ clients, projects, partners, project_shares, leads, project_metrics, bootcamp_cohorts, bootcamp_applications, password_links, users },
	({ relation, index }, e) => {
		relation(e.projects).manyToOne(e.clients);
		relation(e.project_shares).manyToOne(e.projects).manyToOne(e.partners);
		relation(e.leads).manyToOne(e.clients);
		relation(e.project_metrics).manyToOne(e.projects);
		relation(e.bootcamp_applications).manyToOne(e.bootcamp_cohorts);
		// Natural keys: a racing second seed (or a double-submitted form) fails on the index instead of duplicating.
		index(e.clients).on(['slug'], true);
		index(e.partners).on(['slug'], true);
		index(e.password_links).on(['token_hash'], true);
		// The live bridge's sweeper reads "rows changed since" every few seconds (bridge/sweeper.ts).
		for (const shown of [e.clients, e.projects, e.project_shares, e.leads, e.project_metrics]) index(shown).on(['updated_at']);
		// Relation columns (`clients_id`...) cannot be indexed here: bknd adds them to the entity after this runs.
	}
);

/** Entities whose rows belong to a tenant, with the column(s) that say which one (see tenantKeys.ts). */
export const TENANT_KEYS: Readonly<Record<string, readonly string[]>> = {
	projects: ['clients_id'],
	leads: ['clients_id'],
	project_shares: ['projects_id', 'partners_id'],
	project_metrics: ['projects_id']
};

/** Our own entities (not bknd's system `users` / `media`): staff may create, update and delete these. */
export const CRM_ENTITIES = ['clients', 'projects', 'partners', 'project_shares', 'leads', 'project_metrics', 'bootcamp_cohorts', 'bootcamp_applications'] as const;

/**
 * Staff-only columns: clients and partners never read them over REST (nonStaffRequests.ts refuses naming them
 * and strips them from answers) nor in live rooms (shared/live/visibility.ts keeps an allowlist per entity).
 */
export const INTERNAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
	projects: ['internal_notes', 'margin_pct']
};
