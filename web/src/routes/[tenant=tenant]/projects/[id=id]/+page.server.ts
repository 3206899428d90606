import { error } from '@sveltejs/kit';
import { presenceColor, type Presence } from '$shared/presence';
import { projectRoomId } from '$shared/roomNames';
import { translate } from '$lib/i18n';
import { readProject } from '$lib/server/bknd';
import { getEnv } from '$lib/server/env';
import { requireUser, withBknd } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/** One project, read from bknd with the user's token; 404 unless visible and enterable in this tenant. */
export const load: PageServerLoad = async (event) => {
	const { tenant, projects } = await event.parent();
	const { user, token } = requireUser(event);
	const id = Number(event.params.id);
	const lang = event.locals.lang;
	const project = await withBknd(lang, () => readProject(getEnv(event.platform), token, id));
	// The layout already decided which projects of this tenant the user may enter; the fresh row must agree.
	if (!project || project.clients_id !== tenant.id || !projects.some((p) => p.id === id)) {
		error(404, translate(lang, 'api.projectNotFound'));
	}
	const me: Presence = { userId: String(user.id), name: user.name.slice(0, 200), role: user.role, color: presenceColor(String(user.id)) };
	return { project, roomId: projectRoomId(tenant.slug, id), me };
};
