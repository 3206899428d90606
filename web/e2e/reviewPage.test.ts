import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { bkndLogin, bkndRows } from '../../tests/harness/bkndApi';
import { gotoHydrated, launchChromium, signInWithForm } from '../../tests/harness/browser';
import { solidPng } from '../../tests/harness/png';
import { DEMO_USERS, startStack, type Stack } from '../../tests/harness/stack';

// The design review in two real browsers: the agency sets a frame, a version and a round up, comments with a
// mention in both lanes; the client (on a phone) sees only the client lane, answers, reacts and decides.
describe('design review page in Chromium', () => {
	let stack: Stack;
	let browser: Browser;
	let reviewUrl: string;

	beforeAll(async () => {
		[stack, browser] = await Promise.all([startStack(), launchChromium()]);
		const admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		const [ferme] = await bkndRows<{ id: number }>(stack.bknd.url, admin, 'clients', `&where=${encodeURIComponent('{"slug":"ferme-verte"}')}`);
		const projects = await bkndRows<{ id: number }>(stack.bknd.url, admin, 'projects', `&where=${encodeURIComponent(JSON.stringify({ clients_id: ferme!.id }))}&sort=id`);
		// The second project: projectRoom.test.ts uses the first one's room.
		reviewUrl = `${stack.web.url}/ferme-verte/projects/${projects[1]!.id}/review`;
	}, 240_000);

	afterAll(async () => {
		await browser?.close();
		await stack?.stop();
	});

	const live = (page: Page) => expect.poll(() => page.getByTestId('room-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('live');

	it('REV-E2E-1 the agency comments in both lanes; the client sees only its lane, replies, reacts and decides', async () => {
		const designer = await signInWithForm(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), stack.web.url, DEMO_USERS.designer);
		await gotoHydrated(designer, reviewUrl);
		await live(designer);

		// A frame and a client-visible version.
		await designer.getByTestId('frame-add').click();
		await designer.getByTestId('frame-name').fill('Accueil – mobile');
		await designer.getByTestId('frame-width').fill('390');
		await designer.getByTestId('frame-height').fill('844');
		await designer.getByTestId('frame-submit').click();
		await expect.poll(() => designer.getByTestId('frame-card').count(), { timeout: 10_000 }).toBe(1);
		await designer.getByTestId('version-add').click();
		await designer.getByTestId('version-label').fill('v1');
		await designer.getByTestId('version-submit').click();
		await expect.poll(() => designer.locator('[data-testid="version"][data-current="true"]').count(), { timeout: 10_000 }).toBe(1);

		// The client joins, so the agency can mention and pick them even without a member list.
		const clientContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
		const client = await signInWithForm(clientContext, stack.web.url, DEMO_USERS.clientFerme);
		await gotoHydrated(client, reviewUrl);
		await live(client);

		// A round for the client.
		await designer.getByTestId('round-open').click();
		await designer.locator('[data-testid="round-reviewer"]').first().waitFor();
		const fara = designer.locator('label', { hasText: 'Fara' }).getByTestId('round-reviewer');
		if (!(await fara.isChecked())) await fara.check();
		await designer.getByTestId('round-open-submit').click();
		await expect.poll(() => designer.getByTestId('round-banner').getAttribute('data-status'), { timeout: 10_000 }).toBe('in_review');

		// A pin in the client lane with an @mention picked from the list.
		await designer.getByTestId('frame-open').click();
		const box = (await designer.getByTestId('frame-view').boundingBox())!;
		await designer.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.3);
		await designer.getByTestId('composer-body').pressSequentially('Le titre vous convient-il @Far');
		await designer.getByTestId('mention-option').first().waitFor();
		await designer.keyboard.press('Enter');
		await designer.getByTestId('composer-submit').click();
		await expect.poll(() => designer.locator('[data-testid="pin"][data-lane="client"]').count(), { timeout: 10_000 }).toBe(1);
		// And one in the internal lane.
		await designer.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.7);
		await designer.getByTestId('lane-internal').click();
		await designer.getByTestId('composer-body').fill('Note interne : contraste à revoir');
		await designer.getByTestId('composer-submit').click();
		await expect.poll(() => designer.locator('[data-testid="thread"][data-lane="internal"]').count(), { timeout: 10_000 }).toBe(1);
		await expect.poll(() => designer.getByTestId('save-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');

		// The client: one client-lane thread mentioning them, nothing internal, no lane switch.
		await client.getByTestId('filter-mentions').click();
		await expect.poll(() => client.getByTestId('thread').count(), { timeout: 15_000 }).toBe(1);
		expect(await client.locator('[data-lane="internal"]').count()).toBe(0);
		expect(await client.content()).not.toContain('contraste à revoir');
		const thread = client.getByTestId('thread').first();
		expect(await thread.getAttribute('data-lane')).toBe('client');
		await thread.getByTestId('thread-reply-body').fill('Oui, parfait. Voir https://fata.plus');
		await thread.getByTestId('thread-reply-submit').click();
		await expect.poll(() => thread.getByTestId('message').count(), { timeout: 10_000 }).toBe(2);
		expect(await thread.locator('a[href="https://fata.plus/"]').count()).toBe(1);
		await thread.getByTestId('reaction-add').first().click();
		await thread.locator('[data-testid="reaction"][data-emoji="👍"]').first().click();
		await expect.poll(() => thread.locator('[data-testid="reaction"][data-emoji="👍"]').first().getAttribute('data-count'), { timeout: 10_000 }).toBe('1');
		await client.getByTestId('frame-open').click();
		expect(await client.getByTestId('lane-switch').count()).toBe(0);
		expect(await client.locator('[data-testid="pin"]').count()).toBe(1);
		expect(await client.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

		// The designer sees the reply live and resolves the thread.
		const designerThread = designer.locator('[data-testid="thread"][data-lane="client"]');
		await expect.poll(() => designerThread.getByTestId('message').count(), { timeout: 10_000 }).toBe(2);
		await designerThread.getByTestId('thread-resolve').click();
		await expect.poll(() => designer.locator('[data-testid="pin"][data-lane="client"]').getAttribute('data-status'), { timeout: 10_000 }).toBe('resolved');

		// The client asks for changes (a comment is required), then approves.
		await client.getByTestId('frame-back').click();
		await client.getByTestId('round-request-changes').click();
		expect(await client.getByTestId('round-banner').getAttribute('data-status')).toBe('in_review');
		await client.getByTestId('round-comment').fill('Agrandir le titre');
		await client.getByTestId('round-request-changes').click();
		await expect.poll(() => designer.getByTestId('round-banner').getAttribute('data-status'), { timeout: 10_000 }).toBe('changes_requested');
		await client.getByTestId('round-approve').click();
		await expect.poll(() => designer.getByTestId('round-banner').getAttribute('data-status'), { timeout: 10_000 }).toBe('approved');
		expect(await designer.locator('[data-testid="reviewer"]').first().getAttribute('data-decision')).toBe('approved');
		await expect.poll(() => client.getByTestId('round-banner').getAttribute('data-status'), { timeout: 10_000 }).toBe('approved');

		// A new version makes that approval stale: still shown, no longer counted, for both of them.
		await designer.getByTestId('version-add').click();
		await designer.getByTestId('version-label').fill('v2');
		await designer.getByTestId('version-submit').click();
		await expect.poll(() => designer.locator('[data-testid="reviewer"]').first().getAttribute('data-stale'), { timeout: 10_000 }).toBe('true');
		await expect.poll(() => designer.getByTestId('round-banner').getAttribute('data-status'), { timeout: 10_000 }).toBe('in_review');
		await expect.poll(() => client.locator('[data-testid="reviewer"]').first().getAttribute('data-stale'), { timeout: 10_000 }).toBe('true');
		expect(await client.locator('[data-testid="reviewer"]').first().getAttribute('data-decision')).toBe('approved');

		await clientContext.close();
		await designer.context().close();
	});

	it('REV-E2E-2 a designer pins a comment on a frame and the partner agency sees it live', async () => {
		const admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		const [share] = await bkndRows<{ projects_id: number }>(stack.bknd.url, admin, 'project_shares', `&where=${encodeURIComponent('{"revoked_at":{"$isnull":true}}')}`);
		const sharedUrl = `${stack.web.url}/ferme-verte/projects/${share!.projects_id}/review`;
		const designer = await signInWithForm(await browser.newContext({ viewport: { width: 1280, height: 900 } }), stack.web.url, DEMO_USERS.designer);
		const partner = await signInWithForm(await browser.newContext({ viewport: { width: 1280, height: 900 } }), stack.web.url, DEMO_USERS.partner);
		await Promise.all([gotoHydrated(designer, sharedUrl), gotoHydrated(partner, sharedUrl)]);
		await Promise.all([live(designer), live(partner)]);
		await designer.getByTestId('frame-add').click();
		await designer.getByTestId('frame-name').fill('Tableau de bord');
		await designer.getByTestId('frame-width').fill('1440');
		await designer.getByTestId('frame-height').fill('900');
		await designer.getByTestId('frame-submit').click();
		await expect.poll(() => partner.getByTestId('frame-card').count(), { timeout: 10_000 }).toBe(1);
		await designer.getByTestId('frame-open').click();
		await partner.getByTestId('frame-open').click();
		const box = (await designer.getByTestId('frame-view').boundingBox())!;
		await designer.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.25);
		await designer.getByTestId('lane-internal').click();
		await designer.getByTestId('composer-body').fill('Graphique des récoltes : prévoir le mode sombre');
		await designer.getByTestId('composer-submit').click();
		// The partner sees the new pin and the thread without reloading.
		await expect.poll(() => partner.locator('[data-testid="pin"]').count(), { timeout: 10_000 }).toBe(1);
		await expect.poll(() => partner.locator('[data-testid="thread"][data-lane="internal"]').count(), { timeout: 10_000 }).toBe(1);
		expect(await partner.getByTestId('thread').first().innerText()).toContain('mode sombre');
		await designer.context().close();
		await partner.context().close();
	});

	it('REV-E2E-3 a designer uploads a PNG as a new frame and the partner agency sees the image loaded', async () => {
		const admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		const [share] = await bkndRows<{ projects_id: number }>(stack.bknd.url, admin, 'project_shares', `&where=${encodeURIComponent('{"revoked_at":{"$isnull":true}}')}`);
		const sharedUrl = `${stack.web.url}/ferme-verte/projects/${share!.projects_id}/review`;
		const designer = await signInWithForm(await browser.newContext({ viewport: { width: 1280, height: 900 } }), stack.web.url, DEMO_USERS.designer);
		const partner = await signInWithForm(await browser.newContext({ viewport: { width: 1280, height: 900 } }), stack.web.url, DEMO_USERS.partner);
		await Promise.all([gotoHydrated(designer, sharedUrl), gotoHydrated(partner, sharedUrl)]);
		await Promise.all([live(designer), live(partner)]);

		await designer.getByTestId('frame-add').click();
		await designer.getByTestId('frame-name').fill('Maquette importée');
		await designer.getByTestId('frame-width').fill('390');
		await designer.getByTestId('frame-height').fill('844');
		// A real PNG made here (a green 390 × 844 page), picked through the labelled file input.
		await designer.getByLabel('Fichier image').setInputFiles({ name: 'maquette.png', mimeType: 'image/png', buffer: Buffer.from(solidPng(390, 844)) });
		expect(await designer.getByLabel('Fichier image').getAttribute('data-testid')).toBe('frame-image-file');
		await expect.poll(() => designer.getByTestId('frame-image-upload').getAttribute('data-state'), { timeout: 15_000 }).toBe('done');
		await designer.getByTestId('frame-submit').click();

		// The partner's board gets the frame live, and its image is really drawn (decoded, not the placeholder).
		const image = partner.locator('img[data-kind="media"]');
		await expect.poll(() => image.count(), { timeout: 15_000 }).toBe(1);
		expect(await image.getAttribute('src')).toMatch(new RegExp(`^/api/media/p${share!.projects_id}-[0-9a-f]{32}\\.png$`));
		await image.scrollIntoViewIfNeeded();
		await expect.poll(() => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: 15_000 }).toBeGreaterThan(0);
		expect(await image.evaluate((img: HTMLImageElement) => img.naturalHeight)).toBe(844);
		// Opened full size too.
		await partner.locator('[data-testid="frame-card"]', { has: image }).getByTestId('frame-open').click();
		const full = partner.getByTestId('frame-view').locator('img[data-kind="media"]');
		await expect.poll(() => full.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: 15_000 }).toBe(390);
		await designer.context().close();
		await partner.context().close();
	});
});
