import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkndLogin, bkndRows } from '../harness/bkndApi';
import { DEMO_USERS, startStack, type Stack } from '../harness/stack';
import { signIn, webRequest } from '../harness/webClient';

// The review page's member list (for @mentions and reviewers) comes from bknd's members route for every
// role, through the web app with the viewer's own session: before it, only staff got one.
describe("review page: the project's members for everyone in the project", () => {
	let stack: Stack;
	let sharedProject = 0;
	const cookies: Record<string, string> = {};
	const reviewData = (cookie: string) => webRequest(stack.web.url, `/ferme-verte/projects/${sharedProject}/review/__data.json`, { cookie });

	beforeAll(async () => {
		stack = await startStack();
		const admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		const [share] = await bkndRows<{ projects_id: number }>(stack.bknd.url, admin, 'project_shares', `&where=${encodeURIComponent('{"revoked_at":{"$isnull":true}}')}`);
		sharedProject = share!.projects_id;
		for (const key of ['designer', 'partner', 'clientFerme'] as const) cookies[key] = await signIn(stack.web.url, DEMO_USERS[key]);
	}, 240_000);

	afterAll(async () => {
		await stack?.stop();
	});

	it('MEMBERS-WEB-1 staff, the tenant\'s client and the sharing partner all get the members, by name, never their emails', async () => {
		for (const key of ['designer', 'partner', 'clientFerme'] as const) {
			const page = await reviewData(cookies[key]!);
			expect(page.status).toBe(200);
			// Staff, the tenant's client and the partner, whether or not they ever came to the room.
			for (const name of ['Admin Fataplus', 'Hery Rakoto', 'Fara Rasoa', 'Lova Andria']) expect(page.body, `${key} sees ${name}`).toContain(name);
			// Another tenant's client is not a member; nobody else's email is in the page.
			expect(page.body).not.toContain('Nirina Rabe');
			for (const email of Object.values(DEMO_USERS)) if (email !== DEMO_USERS[key]) expect(page.body).not.toContain(email);
		}
	});
});
