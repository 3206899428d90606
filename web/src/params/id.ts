import type { ParamMatcher } from '@sveltejs/kit';

/** A bknd integer primary key: no sign, no leading zero, a safe integer. */
export const match: ParamMatcher = (param) => /^[1-9][0-9]{0,14}$/.test(param);
