import { error, type RequestEvent } from '@sveltejs/kit';
import type { ProjectRow } from '$shared/entities';
import { projectRoomId } from '$shared/roomNames';
import type { SessionUser } from '$shared/roles';
import { translate } from '$lib/i18n';
import { readProject } from './bknd';
import { getEnv, type ServerEnv } from './env';
import { requireUser, withBknd } from './guards';

/** What the tenant layout already decided: the tenant and the projects of it the user may enter. */
export interface TenantParent {
	tenant: { id: number; slug: string };
	projects: ReadonlyArray<{ id: number }>;
}

export interface LoadedProject {
	project: ProjectRow;
	roomId: string;
	user: SessionUser;
	/** The user's bknd token, for further reads in the same load. Server-only: never return it as page data. */
	token: string;
	env: ServerEnv;
}

/**
 * The project of a project page (`/[tenant]/projects/[id]` and its sub-pages), read from bknd with the
 * user's token: signed in (else /login), 404 unless visible and enterable in this tenant (the layout
 * answers 403/404 for the tenant itself).
 */
export async function loadProjectPage(event: Pick<RequestEvent, 'locals' | 'url' | 'platform' | 'params'>, parent: TenantParent): Promise<LoadedProject> {
	const { tenant, projects } = parent;
	const { user, token } = requireUser(event);
	const id = Number(event.params.id);
	const lang = event.locals.lang;
	const env = getEnv(event.platform);
	const project = await withBknd(lang, () => readProject(env, token, id));
	// The layout already decided which projects of this tenant the user may enter; the fresh row must agree.
	if (!project || project.clients_id !== tenant.id || !projects.some((p) => p.id === id)) {
		error(404, translate(lang, 'api.projectNotFound'));
	}
	return { project, roomId: projectRoomId(tenant.slug, id), user, token, env };
}
