import { withoutMoneyFor } from '$shared/live/visibility';
import { loadProjectMembers } from '$lib/server/members';
import { loadProjectPage } from '$lib/server/projectPage';
import { withBknd } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/**
 * The design review of a project: the project as the project page reads it (403/404 alike), and its members
 * for @mentions and reviewers, which everyone in the project may list; `null` only when bknd failed (see members.ts).
 * A partner gets the project without its budget.
 */
export const load: PageServerLoad = async (event) => {
	const { project, roomId, user, token, env } = await loadProjectPage(event, await event.parent());
	const members = await withBknd(event.locals.lang, () => loadProjectMembers(env, token, user, project));
	return { project: withoutMoneyFor(user.role, 'projects', project), roomId, members };
};
