// The routes of bknd that the web app's server calls for anonymous visitors (bknd/routes/), and the headers of
// those calls: bknd registers them under these paths, the web server calls them, so neither side spells a name
// the other might not. Visitors never call them directly: the server proves itself with BKND_SERVICE_SECRET
// (bknd/routes/serviceAuth.ts) after its own validation and abuse limits.

/** Carries BKND_SERVICE_SECRET, the web app's server's proof that the call is its own. */
export const SERVICE_HEADER = 'x-fataplus-service';
/**
 * The visitor's IP address as the web server saw it, for the per-IP submission limit and the sign-in throttle (only
 * an HMAC is stored). bknd believes it only on a call that also carries the service secret.
 */
export const CLIENT_IP_HEADER = 'x-fataplus-client-ip';

/** AI intake (bknd/routes/intake.ts): create the lead, then store its analysis while it is still pending. */
export const INTAKE_LEADS_ROUTE = '/api/fataplus/public/leads';
export const INTAKE_ANALYSIS_ROUTE = '/api/fataplus/public/leads/:id/analysis';

/** `INTAKE_ANALYSIS_ROUTE` for one lead. */
export function intakeAnalysisPath(leadId: number): string {
	return INTAKE_ANALYSIS_ROUTE.replace(':id', String(leadId));
}

/** Figma bootcamp (bknd/routes/bootcamp.ts): the cohorts a visitor may see, and one application. */
export const PUBLIC_COHORTS_ROUTE = '/api/fataplus/public/bootcamp/cohorts';
export const PUBLIC_APPLICATIONS_ROUTE = '/api/fataplus/public/bootcamp/applications';

/** One-time password links, for `/welcome/<token>` (bknd/routes/users.ts): is it usable, then use it. */
export const CHECK_LINK_ROUTE = '/api/fataplus/password-links/check';
export const CONSUME_LINK_ROUTE = '/api/fataplus/password-links/consume';

/**
 * Sign-out (bknd/auth/sessions.ts): called with the session's own token, it ends that session at once (bknd then
 * refuses the token everywhere, though it has not expired yet).
 */
export const END_SESSION_ROUTE = '/api/fataplus/session/end';

/** The public forms' body limit (intake, bootcamp), checked by the web server as the body streams in. */
export const PUBLIC_BODY_LIMIT = 64 * 1024;
