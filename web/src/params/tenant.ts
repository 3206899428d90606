import type { ParamMatcher } from '@sveltejs/kit';
import { isTenantSlug } from '$shared/tenants';

/** A tenant slug (not a reserved word), so `/login` or `/crm` never reach the tenant pages. */
export const match: ParamMatcher = (param) => isTenantSlug(param);
