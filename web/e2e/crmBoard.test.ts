import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { bkndLogin, bkndRows } from '../../tests/harness/bkndApi';
import { waitFor } from '../../scripts/lib/waitFor';
import { gotoHydrated, launchChromium, signInWithForm } from '../../tests/harness/browser';
import { DEMO_USERS, startStack, type Stack } from '../../tests/harness/stack';

// The CRM's projects board in Chromium: staff move a card with the mouse (HTML5 drag and drop) or the keyboard,
// bknd stores the new status, and a client's dashboard open in another browser follows live, without a reload.

interface Row {
	id: number;
	title: string;
	status: string;
	clients_id: number;
}

describe('CRM projects board in Chromium', () => {
	let stack: Stack;
	let browser: Browser;
	let admin: string;
	let ferme: number;
	let project: Row;
	let staff: Page;
	let client: Page;

	const bkndProject = async (id: number) => (await bkndRows<Row>(stack.bknd.url, admin, 'projects', `&where=${encodeURIComponent(JSON.stringify({ id }))}`))[0];
	const card = (page: Page, id: number): Locator => page.locator(`[data-testid="board-card"][data-project-id="${id}"]`);
	const column = (page: Page, status: string): Locator => page.locator(`[data-testid="board-column"][data-status="${status}"]`);
	const inColumn = (page: Page, id: number, status: string) => column(page, status).locator(`[data-testid="board-card"][data-project-id="${id}"]`).count();
	const dashboardStatus = (id: number) => client.locator(`[data-testid="project-row"][data-project-id="${id}"]`).getByTestId('project-status').getAttribute('data-status');
	const boardUrl = () => `${stack.web.url}/crm/projects/board?tenant=${ferme}`;

	beforeAll(async () => {
		[stack, browser] = await Promise.all([startStack(), launchChromium()]);
		admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		ferme = (await bkndRows<{ id: number }>(stack.bknd.url, admin, 'clients', `&where=${encodeURIComponent('{"slug":"ferme-verte"}')}`))[0]!.id;
		const projects = await bkndRows<Row>(stack.bknd.url, admin, 'projects', `&where=${encodeURIComponent(JSON.stringify({ clients_id: ferme }))}&sort=id`);
		project = projects.find((p) => p.status === 'planning')!;

		client = await signInWithForm(await browser.newContext(), stack.web.url, DEMO_USERS.clientFerme);
		staff = await signInWithForm(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), stack.web.url, DEMO_USERS.designer);
		await gotoHydrated(client, `${stack.web.url}/ferme-verte/dashboard`);
		await waitFor(async () => (await client.getByTestId('live-status').getAttribute('data-state')) === 'live', { timeout: 30_000, message: 'the client dashboard live' });
		// A mark on the window: a reload would drop it.
		await client.evaluate(() => ((window as unknown as { __crmMark: string }).__crmMark = 'same-page'));
	}, 240_000);

	afterAll(async () => {
		await browser?.close();
		await stack?.stop();
	});

	it('CRM-BOARD-E2E-1 staff drag a card to another column: bknd stores it and the client’s dashboard follows live', async () => {
		await gotoHydrated(staff, boardUrl());
		expect(await inColumn(staff, project.id, 'planning')).toBe(1);
		expect(await dashboardStatus(project.id)).toBe('planning');

		await card(staff, project.id).dragTo(column(staff, 'review'));

		await expect.poll(() => inColumn(staff, project.id, 'review'), { timeout: 10_000 }).toBe(1);
		expect(await inColumn(staff, project.id, 'planning')).toBe(0);
		await expect.poll(async () => (await bkndProject(project.id))?.status, { timeout: 10_000 }).toBe('review');
		await expect.poll(() => dashboardStatus(project.id), { timeout: 20_000 }).toBe('review');
		expect(await client.evaluate(() => (window as unknown as { __crmMark?: string }).__crmMark)).toBe('same-page');
		// Saved for good: the board as bknd has it after a reload.
		await gotoHydrated(staff, boardUrl());
		expect(await inColumn(staff, project.id, 'review')).toBe(1);
	});

	it('CRM-BOARD-E2E-2 the keyboard path: "Déplacer vers" then "Déplacer" moves the card, keeps the focus on it, and says so', async () => {
		await gotoHydrated(staff, boardUrl());
		const select = card(staff, project.id).getByTestId('move-select');
		await expect.poll(() => select.getAttribute('aria-label')).toBe(`Déplacer « ${project.title} » vers`);
		await select.focus();
		await select.selectOption('completed');
		expect(await inColumn(staff, project.id, 'review')).toBe(1); // choosing is not moving yet
		await staff.keyboard.press('Tab');
		expect(await staff.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('move-submit');
		await staff.keyboard.press('Enter');

		await expect.poll(() => inColumn(staff, project.id, 'completed'), { timeout: 10_000 }).toBe(1);
		// The card is drawn again in its new column; the keyboard stays on it.
		await expect.poll(() => staff.evaluate(() => document.activeElement?.id)).toBe(`move-${project.id}`);
		await expect.poll(() => staff.getByTestId('move-announcement').textContent(), { timeout: 10_000 }).toBe(`« ${project.title} » est maintenant : Terminé.`);
		await expect.poll(async () => (await bkndProject(project.id))?.status, { timeout: 10_000 }).toBe('completed');
		await expect.poll(() => dashboardStatus(project.id), { timeout: 20_000 }).toBe('completed');
		expect(await client.evaluate(() => (window as unknown as { __crmMark?: string }).__crmMark)).toBe('same-page');
	});

	it('CRM-BOARD-E2E-3 a move bknd cannot make (the project was deleted meanwhile) is undone with a message', async () => {
		const created = await fetch(`${stack.bknd.url}/api/data/entity/projects`, {
			method: 'POST',
			headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
			body: JSON.stringify({ clients_id: ferme, title: 'Projet bientôt supprimé', status: 'intake', category: 'other' })
		});
		const doomed = ((await created.json()) as { data: Row }).data;
		await gotoHydrated(staff, boardUrl());
		expect(await inColumn(staff, doomed.id, 'intake')).toBe(1);
		const deleted = await fetch(`${stack.bknd.url}/api/data/entity/projects/${doomed.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
		expect(deleted.status).toBe(200);

		await card(staff, doomed.id).dragTo(column(staff, 'review'));

		await expect.poll(() => staff.getByTestId('move-refused').textContent(), { timeout: 10_000 }).toBe('Ce projet n’existe plus (il a peut-être été supprimé). Rechargez la page.');
		// Undone: never left in the column it was dropped on; the board now shows what bknd has (no such project).
		await expect.poll(() => inColumn(staff, doomed.id, 'review')).toBe(0);
		await expect.poll(() => card(staff, doomed.id).count()).toBe(0);
		expect(await bkndProject(doomed.id)).toBeUndefined();
	});
});
