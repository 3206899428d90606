import { timingSafeEqual } from 'node:crypto';
import { SERVICE_HEADER } from '../../shared/publicApi';
import type { BkndContext } from '../serverTypes';

// The web app's server is the only caller of bknd's public routes (intake leads, bootcamp applications): anonymous
// visitors reach them through it, after its validation and abuse limits. It proves itself with the shared
// BKND_SERVICE_SECRET in this header; bknd's data API itself stays closed to anonymous callers.

/** Whether the request carries `secret` (constant-time compare); always false when bknd has no secret. */
export function isServiceCall(c: BkndContext, secret: string | undefined): boolean {
	const given = c.req.header(SERVICE_HEADER);
	if (!secret || !given) return false;
	const a = Buffer.from(given);
	const b = Buffer.from(secret);
	return a.length === b.length && timingSafeEqual(a, b);
}
