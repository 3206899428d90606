import { createdLinkSchema, LINK_REFUSALS, linkAccountSchema, welcomePath, type LinkAccount, type LinkRefusal } from '$shared/crm/password';
import { USER_REFUSALS, type UserRefusal } from '$shared/crm/user';
import { CHECK_LINK_ROUTE, CONSUME_LINK_ROUTE } from '$shared/publicApi';
import type { ServerEnv } from '../env';
import { postFataplusRoute, refusalCode } from './usersRoutes';

// One-time password links (bknd/routes/users.ts): staff make one for an account and see it once; the person opens
// it at /welcome/<token>, where this server checks and uses it with the service secret (they are not signed in).

/** A link as shown to the staff member who made it, once: the full URL on this site and when it stops working. */
export interface ShownLink {
	url: string;
	expiresAt: string;
}

export type MakeLinkResult = { ok: true; link: ShownLink } | { ok: false; code: UserRefusal };

/** The URL of `token` on the site the staff member is using (`origin`). */
export function linkUrl(origin: string, token: string): string {
	return `${origin}${welcomePath(token)}`;
}

/** Makes a link for account `userId` as the signed-in staff member (bknd refuses accounts their role may not manage). */
export async function makePasswordLink(env: ServerEnv, token: string, userId: number, origin: string): Promise<MakeLinkResult> {
	const answer = await postFataplusRoute(env, `/api/fataplus/users/${userId}/password-link`, { token }, {});
	if (answer.status === 201) {
		const link = createdLinkSchema.safeParse(answer.body);
		if (link.success) return { ok: true, link: { url: linkUrl(origin, link.data.token), expiresAt: link.data.expiresAt } };
	}
	return { ok: false, code: refusalCode(answer, USER_REFUSALS) ?? 'not_found' };
}

export type LinkVerdict = { ok: true; account: LinkAccount } | { ok: false; code: LinkRefusal };

function verdictOf(answer: { status: number; body: unknown }): LinkVerdict {
	if (answer.status === 200) {
		const account = linkAccountSchema.safeParse(answer.body);
		if (account.success) return { ok: true, account: account.data };
	}
	return { ok: false, code: refusalCode(answer, LINK_REFUSALS) ?? 'unknown' };
}

/** Whether `token` still opens an account, and whose (changes nothing). */
export async function checkPasswordLink(env: ServerEnv, token: string): Promise<LinkVerdict> {
	return verdictOf(await postFataplusRoute(env, CHECK_LINK_ROUTE, { service: true }, { token }));
}

/** Uses `token` to set `password`; answers whose account it was, or why the link cannot be used (nothing changed then). */
export async function consumePasswordLink(env: ServerEnv, token: string, password: string): Promise<LinkVerdict> {
	return verdictOf(await postFataplusRoute(env, CONSUME_LINK_ROUTE, { service: true }, { token, password }));
}
