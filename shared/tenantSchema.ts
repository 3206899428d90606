import { z } from 'zod';
import { TENANT_SLUG_PATTERN } from './tenants';

/** A tenant slug (see tenants.ts); kept apart so pages that only test slugs do not load zod. */
export const tenantSlugSchema = z.string().regex(TENANT_SLUG_PATTERN, 'invalid tenant slug');
