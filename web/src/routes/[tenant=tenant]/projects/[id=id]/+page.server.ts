import { withoutMoneyFor } from '$shared/live/visibility';
import { loadProjectPage } from '$lib/server/projectPage';
import type { PageServerLoad } from './$types';

/** One project, read from bknd with the user's token; 404 unless visible and enterable in this tenant. A partner gets no budget. */
export const load: PageServerLoad = async (event) => {
	const { project, roomId, user } = await loadProjectPage(event, await event.parent());
	return { project: withoutMoneyFor(user.role, 'projects', project), roomId };
};
