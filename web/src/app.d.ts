// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionUser } from '$shared/roles';
import type { Lang } from '$lib/i18n';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Set by `handleError` for unexpected errors so the user can quote it. */
			errorId?: string;
		}
		interface Locals {
			/** The signed-in person, verified by bknd's `/api/auth/me` for this request; `null` when anonymous. */
			user: SessionUser | null;
			/** The bknd JWT from the `fp_session` cookie. Server-only: never put it in page data. */
			bkndToken: string | null;
			/** bknd could not be reached while resolving the session: pages that need a user answer 503. */
			bkndUnavailable: boolean;
			lang: Lang;
		}
		interface PageData {
			user: SessionUser | null;
			lang: Lang;
		}
		interface PageState {
			/** The frame open on a review page (shallow routing; `null` back to the board). */
			frame?: string | null;
		}
		interface Platform {
			/** wrangler.toml [vars] and secrets; also emulated under `vite dev` / `vite preview`. Read through `$lib/server/env`. */
			env: Record<string, unknown>;
		}
	}
}

export {};
