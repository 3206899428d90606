import { loadProjectPage } from '$lib/server/projectPage';
import type { PageServerLoad } from './$types';

/** One project, read from bknd with the user's token; 404 unless visible and enterable in this tenant. */
export const load: PageServerLoad = async (event) => {
	const { project, roomId } = await loadProjectPage(event, await event.parent());
	return { project, roomId };
};
