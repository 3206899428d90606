import type { ModuleConfigs } from 'bknd';
import { MONEY_UNITS } from '../shared/live/visibility';
import type { Role } from '../shared/roles';
import { CRM_ENTITIES } from './schema';

// The guard's roles (bknd `auth.roles`). Its keys become the enum of `users.role`, so they are exactly
// shared/roles.ts ROLES. Every non-admin permission is deny-by-default: a policy with a `condition` on the
// entity turns it on for one entity, and a `filter` policy narrows the rows (bknd merges it into every read).
//
// Filter keys are QUALIFIED (`projects.clients_id`, not `clients_id`). bknd merges the caller's `where` into
// the policy filter key by key and operator by operator, which breaks isolation when the keys meet:
// - `$eq` against `$eq`: the policy's value replaces the caller's, so `GET /clients/2` answered the caller's
//   own row (docs/bknd.md hole 5) and a `where` for another tenant answered one's own rows;
// - `$in` against `$in`: the arrays are merged index by index, so a caller sending `{"id":{"$in":[1,2,3]}}`
//   against a policy `{"id":{"$in":[1]}}` got `[1,2,3]`: every project (found while building this).
// A qualified key is a different key for the merge but the same column for SQL, so the caller's condition
// and the policy's are simply ANDed. nonStaffRequests.ts refuses dotted keys from non-staff callers, so they
// cannot send the qualified key themselves. A claim that is missing stays the literal string "@user.x"
// and matches nothing.
//
// The partner's `@user.shared_project_ids` / `@user.shared_client_ids` are not JWT claims: partnerScope.ts
// computes them from `project_shares` on every request, so a revoked share stops counting at once. Likewise
// a client's `@user.client_project_ids` (its tenant's projects, for `project_metrics`, which has no
// `clients_id` of its own): a metric is readable exactly when its project is.

type RoleConfig = NonNullable<ModuleConfigs['auth']['roles']>[string];
type RolePermission = Exclude<NonNullable<RoleConfig['permissions']>[number], string>;
type Policy = NonNullable<RolePermission['policies']>[number];

const API: RolePermission = { permission: 'system.access.api', effect: 'allow' };

/**
 * Read access to `entity`, limited to the rows whose `column` matches `condition` and whose other columns match
 * `also` (keys qualified, see above).
 */
function readWhere(entity: string, column: string, condition: { $eq: string } | { $in: number[] }, also: Record<string, unknown> = {}): Policy[] {
	const qualified = Object.entries({ [column]: condition, ...also }).map(([key, value]) => [`${entity}.${key}`, value]);
	const filter = Object.fromEntries(qualified) as Policy['filter'];
	return [
		{ description: `may read ${entity}`, condition: { entity }, effect: 'allow' },
		{ description: `only its own ${entity}`, condition: { entity }, effect: 'filter', filter }
	];
}

/** A whole-array placeholder: bknd swaps the string for the array found at that path of the request context. */
function arrayFrom(placeholder: `@user.${string}`): number[] {
	return placeholder as unknown as number[];
}

/**
 * The metrics a partner may not read: money (shared/live/visibility.ts MONEY_UNITS; budgets are for staff and the
 * client) and no unit at all (it may be money; `partnerMaySeeMetric` there). SQL's `NOT IN` compares exactly, so
 * the usual spellings are listed, and it drops null units by itself.
 */
const NOT_FOR_PARTNERS = { unit: { $notin: ['', ...new Set(MONEY_UNITS.flatMap((u) => [u, u.toUpperCase(), u.charAt(0).toUpperCase() + u.slice(1)]))] } };

/** Allows `permission` on every CRM entity and denies it on the rest (bknd's `users`, `media`). */
function onCrmEntities(permission: string): RolePermission {
	return {
		permission,
		effect: 'deny',
		policies: [{ description: 'CRM entities only', condition: { entity: { $in: [...CRM_ENTITIES] } }, effect: 'allow' }]
	};
}

export const ROLE_CONFIG = {
	admin: { implicit_allow: true },
	// Agency staff: the whole CRM, and may read users (bknd never answers `strategy_value`, the password hash).
	designer: {
		permissions: [
			API,
			{
				permission: 'data.entity.read',
				effect: 'deny',
				policies: [
					{ description: 'CRM entities and users', condition: { entity: { $in: [...CRM_ENTITIES, 'users'] } }, effect: 'allow' }
				]
			},
			onCrmEntities('data.entity.create'),
			onCrmEntities('data.entity.update'),
			onCrmEntities('data.entity.delete')
		]
	},
	// A client organisation's people: their own client row, its projects and their metrics, read-only.
	client: {
		permissions: [
			API,
			{
				permission: 'data.entity.read',
				effect: 'deny',
				policies: [
					...readWhere('clients', 'id', { $eq: '@user.client_id' }),
					...readWhere('projects', 'clients_id', { $eq: '@user.client_id' }),
					...readWhere('project_metrics', 'projects_id', { $in: arrayFrom('@user.client_project_ids') })
				]
			}
		]
	},
	// A partner agency's people: their agency, their shares, the projects shared with them (and their metrics, money
	// aside, and owning clients). A project's budget is removed from their answers by nonStaffRequests.ts.
	partner: {
		permissions: [
			API,
			{
				permission: 'data.entity.read',
				effect: 'deny',
				policies: [
					...readWhere('partners', 'id', { $eq: '@user.partner_id' }),
					...readWhere('project_shares', 'partners_id', { $eq: '@user.partner_id' }),
					...readWhere('projects', 'id', { $in: arrayFrom('@user.shared_project_ids') }),
					...readWhere('project_metrics', 'projects_id', { $in: arrayFrom('@user.shared_project_ids') }, NOT_FOR_PARTNERS),
					...readWhere('clients', 'id', { $in: arrayFrom('@user.shared_client_ids') })
				]
			}
		]
	}
} satisfies Record<Role, RoleConfig>;
