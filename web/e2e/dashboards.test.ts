import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DASHBOARD_JS_BUDGET_BYTES, kB, measureRoutes } from '../../scripts/checkBundle';
import { bkndLogin, bkndPatch, bkndRows } from '../../tests/harness/bkndApi';
import { gotoHydrated, launchChromium, signInWithForm } from '../../tests/harness/browser';
import { createdId, ok } from '../../tests/harness/commands';
import { connectRoomClient } from '../../tests/harness/roomClient';
import { mintRoomToken } from '../../tests/harness/roomTokens';
import { DEMO_USERS, startStack, type Stack } from '../../tests/harness/stack';

// Issue 4, web side: the dashboards are small enough to ship, and they follow bknd and the project rooms live.

describe('dashboard bundle', () => {
	// The browser tier's global setup has just built the app (scripts/lib/webBuild.ts), so this reads a fresh build.
	// Built under vitest (NODE_ENV=test) it carries Svelte's development runtime: over the budget there, the
	// message says so, as what ships is smaller (`npx tsx scripts/checkBundle.ts --build` measures that).
	it('DASH-BUNDLE every dashboard page loads at most 80 kB of gzipped JavaScript', () => {
		for (const bundle of measureRoutes()) {
			const what = `${bundle.route}: ${kB(bundle.gzipBytes)} of gzipped JavaScript (${bundle.files.length} files${bundle.development ? ', development build' : ''})`;
			expect(bundle.gzipBytes, what).toBeLessThanOrEqual(DASHBOARD_JS_BUDGET_BYTES);
		}
	});
});

describe('live dashboards in Chromium', () => {
	let stack: Stack;
	let browser: Browser;
	let admin: string;
	let project: { id: number; title: string };

	beforeAll(async () => {
		[stack, browser] = await Promise.all([startStack(), launchChromium()]);
		admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		const [ferme] = await bkndRows<{ id: number }>(stack.bknd.url, admin, 'clients', `&where=${encodeURIComponent('{"slug":"ferme-verte"}')}`);
		const projects = await bkndRows<{ id: number; title: string }>(stack.bknd.url, admin, 'projects', `&where=${encodeURIComponent(JSON.stringify({ clients_id: ferme!.id }))}&sort=id`);
		// The third project: the other browser tests use the first two projects' rooms.
		project = projects[2]!;
	}, 240_000);

	afterAll(async () => {
		await browser?.close();
		await stack?.stop();
	});

	/** Marks the page so a reload (which would drop the mark) is caught. */
	const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __dashMark: string }).__dashMark = 'same-page'));
	const stillMarked = (page: Page) => page.evaluate(() => (window as unknown as { __dashMark?: string }).__dashMark);
	const live = (page: Page) => expect.poll(() => page.getByTestId('live-status').getAttribute('data-state'), { timeout: 30_000 }).toBe('live');
	const row = (page: Page) => page.locator(`[data-testid="project-row"][data-project-id="${project.id}"]`);

	it('DASH-E2E-1 a project change in bknd reaches the client’s and the staff dashboards live; the client sees its review lane only', async () => {
		const client = await signInWithForm(await browser.newContext(), stack.web.url, DEMO_USERS.clientFerme);
		const staff = await signInWithForm(await browser.newContext({ viewport: { width: 1440, height: 1000 } }), stack.web.url, DEMO_USERS.admin);
		await Promise.all([gotoHydrated(client, `${stack.web.url}/ferme-verte/dashboard`), gotoHydrated(staff, `${stack.web.url}/crm/dashboard`)]);
		await Promise.all([live(client), live(staff)]);
		expect(await row(client).count()).toBe(1);
		expect(await row(staff).count()).toBe(1);
		expect(await staff.locator('[data-testid="tenant-health-row"][data-tenant="ferme-verte"]').count()).toBe(1);
		await Promise.all([mark(client), mark(staff)]);

		// The agency moves the project on, through bknd's REST API (not through the web app).
		await bkndPatch(stack.bknd.url, admin, 'projects', project.id, { progress: 77, status: 'review', internal_notes: 'NOTE-INTERNE-SECRETE', margin_pct: 42 });
		for (const page of [client, staff]) {
			await expect.poll(() => row(page).getByTestId('project-progress').getAttribute('data-value'), { timeout: 20_000 }).toBe('77');
			await expect.poll(() => row(page).getByTestId('project-status').getAttribute('data-status'), { timeout: 20_000 }).toBe('review');
		}
		// The change is in the activity lists too, and nothing internal reached the client.
		await expect.poll(() => client.getByTestId('activity-item').allInnerTexts(), { timeout: 20_000 }).toEqual(expect.arrayContaining([expect.stringContaining(project.title)]));
		expect(await client.content()).not.toContain('NOTE-INTERNE-SECRETE');

		// Review activity from the project room: one thread in each lane, opened by the agency.
		// Then a review round on a client-visible version, with the client as its reviewer.
		const [fara] = await bkndRows<{ id: number }>(stack.bknd.url, admin, 'users', `&where=${encodeURIComponent(JSON.stringify({ email: DEMO_USERS.clientFerme }))}`);
		await expect.poll(() => client.getByTestId('approvals-empty').count(), { timeout: 20_000 }).toBe(1);
		const token = await mintRoomToken({ tenant: 'ferme-verte', role: 'designer', projects: [project.id] }, { ttlSeconds: 600 });
		const designer = await connectRoomClient(stack.rooms.url, `ferme-verte.${project.id}`, token);
		try {
			const frame = createdId(await ok(designer, { type: 'frame.add', name: 'Accueil', width: 390, height: 844 }), 'frame');
			await ok(designer, { type: 'thread.create', lane: 'client', frameId: frame, anchor: { kind: 'frame' }, body: 'Le titre vous convient-il ?', mentions: [] });
			await ok(designer, { type: 'thread.create', lane: 'internal', frameId: frame, anchor: { kind: 'frame' }, body: 'Contraste interne à revoir', mentions: [] });
			const version = createdId(await ok(designer, { type: 'version.add', label: 'v1', clientVisible: true }), 'version');
			await ok(designer, { type: 'round.open', versionId: version, reviewers: [String(fara!.id)], dueDate: '2026-12-15' });
		} finally {
			designer.destroy();
		}
		const texts = (page: Page) => page.getByTestId('activity-item').allInnerTexts();
		await expect.poll(() => texts(staff), { timeout: 20_000 }).toEqual(expect.arrayContaining([expect.stringContaining('Contraste interne à revoir')]));
		// Who did it and in which project, in French: "Hery Rakoto a ouvert une discussion : « Le titre… » · Projet : …".
		const clientLine = async () => (await texts(client)).find((text) => text.includes('Le titre vous convient-il')) ?? '';
		await expect.poll(clientLine, { timeout: 20_000 }).toContain('Hery Rakoto a ouvert une discussion');
		expect(await clientLine()).toContain(project.title);
		expect((await texts(client)).join('\n')).not.toContain('Contraste interne');
		expect(await client.locator('[data-testid="activity-item"][data-lane="internal"]').count()).toBe(0);

		// The round waits for the client's decision: their approvals list asked the project rooms again.
		await expect.poll(() => client.locator(`[data-testid="approval-item"][data-project-id="${project.id}"]`).count(), { timeout: 20_000 }).toBe(1);

		// All of it without a reload.
		expect(await stillMarked(client)).toBe('same-page');
		expect(await stillMarked(staff)).toBe('same-page');
		await client.context().close();
		await staff.context().close();
	});

	it('HARDEN-MONEY-E2E a partner’s live dashboard has partner copy and no ROI, even after a budget change; the client’s shows the new budget', async () => {
		const partnerToken = await bkndLogin(stack.bknd.url, DEMO_USERS.partner);
		const [shared] = await bkndRows<{ id: number }>(stack.bknd.url, partnerToken, 'projects', '&select=id');
		const partner = await signInWithForm(await browser.newContext(), stack.web.url, DEMO_USERS.partner);
		const client = await signInWithForm(await browser.newContext(), stack.web.url, DEMO_USERS.clientFerme);
		await Promise.all([gotoHydrated(partner, `${stack.web.url}/ferme-verte/dashboard`), gotoHydrated(client, `${stack.web.url}/ferme-verte/dashboard`)]);
		await Promise.all([live(partner), live(client)]);
		expect(await partner.getByTestId('dashboard-lead').innerText()).toContain('partage avec votre agence');
		expect(await client.getByTestId('dashboard-lead').innerText()).toContain('Vos projets');
		expect(await partner.locator(`[data-testid="project-metrics"][data-project-id="${shared!.id}"]`).count()).toBe(1);
		expect(await partner.getByTestId('roi-panel').count()).toBe(0);

		await bkndPatch(stack.bknd.url, admin, 'projects', shared!.id, { budget_mga: 47_000_000, progress: 63 });
		const progress = (page: Page) => page.locator(`[data-testid="project-row"][data-project-id="${shared!.id}"]`).getByTestId('project-progress').getAttribute('data-value');
		await Promise.all([partner, client].map((page) => expect.poll(() => progress(page), { timeout: 20_000 }).toBe('63')));
		const clientRoi = client.locator(`[data-testid="project-metrics"][data-project-id="${shared!.id}"]`).getByTestId('roi-panel');
		await expect.poll(() => clientRoi.innerText(), { timeout: 20_000 }).toMatch(/47\s000\s000/);
		expect(await partner.getByTestId('roi-panel').count()).toBe(0);
		expect(await partner.content()).not.toMatch(/47[\s\u00a0\u202f]?000[\s\u00a0\u202f]?000|budget_mga/);
		await partner.context().close();
		await client.context().close();
	});

	it('DASH-E2E-2 the client portal shows the same live status, and a client cannot open the staff dashboard', async () => {
		const client = await signInWithForm(await browser.newContext(), stack.web.url, DEMO_USERS.clientFerme);
		await gotoHydrated(client, `${stack.web.url}/ferme-verte`);
		await live(client);
		expect(await client.getByTestId('project-card').count()).toBeGreaterThan(0);
		const response = await client.goto(`${stack.web.url}/crm/dashboard`);
		expect(response?.status()).toBe(403);
		await client.context().close();
	});
});
