import { z } from 'zod';
// Relative imports (not $shared/$lib): the unit tier runs this file without SvelteKit's aliases.
import type { ProjectRow } from '../../../../shared/entities';
import { type SessionUser } from '../../../../shared/roles';
import { roleSchema } from '../../../../shared/roleSchema';
import type { Member } from '../review/members';
import type { ServerEnv } from './env';
import { bkndFetch } from './backends';

/** How long the members call may take; past it the page falls back rather than wait (see below). */
const TIMEOUT_MS = 8_000;

const memberSchema = z.object({ userId: z.string().min(1), name: z.string(), role: roleSchema });

/**
 * The members of a project, for @mentions and the reviewer picker, for every role that may open it: the
 * agency's staff, the users of the project's client, and the users of partner agencies holding a live share
 * of it. bknd answers them (`GET /api/fataplus/projects/:id/members`, bknd/projectMembers.ts) with the
 * viewer's own token, and decides there who may ask.
 *
 * `null` only when bknd answers an error (unreachable, timed out, refused, malformed): the page then falls
 * back to the people it can see (`knownMembers` in $lib/review/members.ts) instead of failing the review.
 */
export async function loadProjectMembers(env: ServerEnv, token: string, viewer: SessionUser, project: Pick<ProjectRow, 'id' | 'clients_id'>): Promise<Member[] | null> {
	const fail = (why: string) => {
		console.warn(`[bknd] members of project ${project.id} for user ${viewer.id}: ${why}; falling back to the people in the room`);
		return null;
	};
	let res: Response;
	try {
		res = await bkndFetch(env)(`${env.BKND_URL}/api/fataplus/projects/${project.id}/members`, {
			headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
			signal: AbortSignal.timeout(TIMEOUT_MS)
		});
	} catch (error) {
		return fail(error instanceof Error ? error.message : String(error));
	}
	if (!res.ok) {
		await res.body?.cancel();
		return fail(`answered ${res.status}`);
	}
	const body: unknown = await res.json().catch(() => undefined);
	if (!Array.isArray(body)) return fail('answered something that is not a list');
	// Only the three fields, whatever else a future bknd would add (z.object drops unknown keys).
	return body
		.flatMap((row) => {
			const parsed = memberSchema.safeParse(row);
			return parsed.success ? [{ ...parsed.data, name: parsed.data.name.slice(0, 200) }] : [];
		})
		.sort((a, b) => a.name.localeCompare(b.name));
}
