import type { FailureCode } from '../../shared/review';
import type { ErrorCode } from '../../shared/protocol';

/** A refused command's code on the wire (4xxx) and over HTTP (the matching status). */
export const FAILURE_CODES: Record<FailureCode, ErrorCode> = {
	invalid: 4400,
	forbidden: 4403,
	not_found: 4404,
	conflict: 4409
};

/** 4403 → 403, and so on: WebSocket codes mirror HTTP statuses. */
export function httpStatus(code: ErrorCode): 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 {
	return (code - 4000) as 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500;
}
