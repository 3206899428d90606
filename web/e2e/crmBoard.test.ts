import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { bkndLogin, bkndPatch, bkndRows } from '../../tests/harness/bkndApi';
import { waitFor } from '../../scripts/lib/waitFor';
import { gotoHydrated, launchChromium, signInWithForm } from '../../tests/harness/browser';
import { DEMO_USERS, startStack, type Stack } from '../../tests/harness/stack';

// The CRM's projects board in Chromium: staff move a card with the mouse (HTML5 drag and drop) or the keyboard,
// bknd stores the new status, and a client's dashboard open in another browser follows live, without a reload.
// The board itself follows the staff live room: a colleague's move, a change through bknd's REST API, a new or a
// deleted project show on every open board without a reload.

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
	/** While true, what the live room sends to `staff` waits here: its board has not heard of bknd's changes yet. */
	let holdLive = false;
	const held: Array<() => void> = [];

	const bkndProject = async (id: number) => (await bkndRows<Row>(stack.bknd.url, admin, 'projects', `&where=${encodeURIComponent(JSON.stringify({ id }))}`))[0];
	const card = (page: Page, id: number): Locator => page.locator(`[data-testid="board-card"][data-project-id="${id}"]`);
	const column = (page: Page, status: string): Locator => page.locator(`[data-testid="board-column"][data-status="${status}"]`);
	const inColumn = (page: Page, id: number, status: string) => column(page, status).locator(`[data-testid="board-card"][data-project-id="${id}"]`).count();
	const dashboardStatus = (id: number) => client.locator(`[data-testid="project-row"][data-project-id="${id}"]`).getByTestId('project-status').getAttribute('data-status');
	const boardUrl = () => `${stack.web.url}/crm/projects/board?tenant=${ferme}`;
	const liveState = (page: Page) => page.getByTestId('live-status').getAttribute('data-state');
	const createProject = async (clients_id: number, title: string): Promise<Row> => {
		const created = await fetch(`${stack.bknd.url}/api/data/entity/projects`, {
			method: 'POST',
			headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
			body: JSON.stringify({ clients_id, title, status: 'intake', category: 'other' })
		});
		expect(created.status).toBe(201);
		return ((await created.json()) as { data: Row }).data;
	};
	const deleteProject = async (id: number) => {
		const deleted = await fetch(`${stack.bknd.url}/api/data/entity/projects/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
		expect(deleted.status).toBe(200);
	};

	beforeAll(async () => {
		[stack, browser] = await Promise.all([startStack(), launchChromium()]);
		admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		ferme = (await bkndRows<{ id: number }>(stack.bknd.url, admin, 'clients', `&where=${encodeURIComponent('{"slug":"ferme-verte"}')}`))[0]!.id;
		const projects = await bkndRows<Row>(stack.bknd.url, admin, 'projects', `&where=${encodeURIComponent(JSON.stringify({ clients_id: ferme }))}&sort=id`);
		project = projects.find((p) => p.status === 'planning')!;

		client = await signInWithForm(await browser.newContext(), stack.web.url, DEMO_USERS.clientFerme);
		staff = await signInWithForm(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), stack.web.url, DEMO_USERS.designer);
		// The staff page's live sockets pass through here (untouched unless `holdLive`), before any board opens one.
		await staff.routeWebSocket(/\/ws\/live\//, (socket) => {
			const server = socket.connectToServer();
			server.onMessage((message) => (holdLive ? held.push(() => socket.send(message)) : socket.send(message)));
		});
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

	it('CRM-BOARD-E2E-3 a move bknd cannot make (the project was deleted before the board heard of it) is undone with a message', async () => {
		const doomed = await createProject(ferme, 'Projet bientôt supprimé');
		await gotoHydrated(staff, boardUrl());
		await expect.poll(() => liveState(staff), { timeout: 30_000 }).toBe('live');
		expect(await inColumn(staff, doomed.id, 'intake')).toBe(1);
		// The live room's news of the delete is held back, as on a slow connection: the card is still there to drag.
		holdLive = true;
		await deleteProject(doomed.id);

		await card(staff, doomed.id).dragTo(column(staff, 'review'));

		await expect.poll(() => staff.getByTestId('move-refused').textContent(), { timeout: 10_000 }).toBe('Ce projet n’existe plus (il a peut-être été supprimé). Rechargez la page.');
		// Undone: never left in the column it was dropped on; the board now shows what bknd has (no such project).
		await expect.poll(() => inColumn(staff, doomed.id, 'review')).toBe(0);
		await expect.poll(() => card(staff, doomed.id).count()).toBe(0);
		expect(await bkndProject(doomed.id)).toBeUndefined();
		// The delete's event did reach this page, and was held: the board could not have known.
		await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0);

		// What the room held back arrives, then a later project: the deleted one never comes back, the board stays live.
		holdLive = false;
		for (const send of held.splice(0)) send();
		const later = await createProject(ferme, 'Projet arrivé après la suppression');
		await expect.poll(() => inColumn(staff, later.id, 'intake'), { timeout: 20_000 }).toBe(1);
		expect(await card(staff, doomed.id).count()).toBe(0);
		expect(await liveState(staff)).toBe('live');
		await deleteProject(later.id);
	});

	it('CRM-BOARD-E2E-4 two staff boards follow each other live: a drag on one, a change through bknd’s REST API, a new and a deleted project show on both without a reload', async () => {
		const colleague = await signInWithForm(await browser.newContext({ viewport: { width: 1280, height: 900 } }), stack.web.url, DEMO_USERS.admin);
		const boards = [staff, colleague];
		const onBoth = (check: (page: Page) => Promise<number>) => Promise.all(boards.map(check));
		const projects = await bkndRows<Row>(stack.bknd.url, admin, 'projects', `&where=${encodeURIComponent(JSON.stringify({ clients_id: ferme, status: 'in_progress' }))}&sort=id`);
		const moved = projects[0]!;
		await Promise.all(boards.map((page) => gotoHydrated(page, boardUrl())));
		for (const page of boards) {
			await expect.poll(() => liveState(page), { timeout: 30_000 }).toBe('live');
			expect(await inColumn(page, moved.id, 'in_progress')).toBe(1);
			// A reload would drop this mark: everything below happens on the same pages.
			await page.evaluate(() => ((window as unknown as { __boardMark: string }).__boardMark = 'same-page'));
			// Every column the card is drawn in, as it happens: a move must never flicker back to where it was.
			await page.evaluate((id) => {
				const seen: string[] = [];
				(window as unknown as { __columnsSeen: string[] }).__columnsSeen = seen;
				const record = () => {
					const shown = document.querySelector(`[data-testid="board-card"][data-project-id="${id}"]`)?.closest('[data-testid="board-column"]')?.getAttribute('data-status') ?? 'none';
					if (seen.at(-1) !== shown) seen.push(shown);
				};
				record();
				new MutationObserver(record).observe(document.querySelector('[data-testid="board"]')!, { subtree: true, childList: true, attributes: true });
			}, moved.id);
		}

		// The designer drags the card to "En revue": the admin's board, in another browser, follows and says so.
		await card(staff, moved.id).dragTo(column(staff, 'review'));
		await expect.poll(() => onBoth((page) => inColumn(page, moved.id, 'review')), { timeout: 10_000 }).toEqual([1, 1]);
		expect(await onBoth((page) => inColumn(page, moved.id, 'in_progress'))).toEqual([0, 0]);
		await expect.poll(() => colleague.getByTestId('board-changes').textContent(), { timeout: 10_000 }).toBe(`« ${moved.title} » est maintenant : En revue.`);
		await expect.poll(async () => (await bkndProject(moved.id))?.status, { timeout: 10_000 }).toBe('review');

		// A change through bknd's REST API (no board involved) moves the card on both.
		await bkndPatch(stack.bknd.url, admin, 'projects', moved.id, { status: 'on_hold' });
		await expect.poll(() => onBoth((page) => inColumn(page, moved.id, 'on_hold')), { timeout: 10_000 }).toEqual([1, 1]);
		expect(await onBoth((page) => inColumn(page, moved.id, 'review'))).toEqual([0, 0]);
		// The echo of the drag came before this change in the feed: neither board ever drew the card back in "En cours".
		for (const page of boards) expect(await page.evaluate(() => (window as unknown as { __columnsSeen: string[] }).__columnsSeen)).toEqual(['in_progress', 'review', 'on_hold']);

		// New projects: one of another client (never on a board filtered on Ferme Verte), then one of Ferme Verte.
		// Events arrive in order, so once the second is shown the first would have been too.
		const elsewhere = await createProject((await bkndRows<{ id: number }>(stack.bknd.url, admin, 'clients', `&where=${encodeURIComponent('{"slug":"atelier-sud"}')}`))[0]!.id, 'Projet d’un autre client');
		const fresh = await createProject(ferme, 'Projet tout neuf');
		await expect.poll(() => onBoth((page) => inColumn(page, fresh.id, 'intake')), { timeout: 10_000 }).toEqual([1, 1]);
		expect(await onBoth((page) => card(page, elsewhere.id).count())).toEqual([0, 0]);

		// Deleted through the API: it leaves both boards.
		await deleteProject(fresh.id);
		await expect.poll(() => onBoth((page) => card(page, fresh.id).count()), { timeout: 10_000 }).toEqual([0, 0]);
		for (const page of boards) {
			expect(await page.evaluate(() => (window as unknown as { __boardMark?: string }).__boardMark)).toBe('same-page');
			expect(await liveState(page)).toBe('live');
		}
		await deleteProject(elsewhere.id);
		await colleague.context().close();
	});
});
