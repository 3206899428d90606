import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sampleBrief } from '../../shared/intake/testKit';
import { bkndLogin, bkndPatch, bkndRows } from '../../tests/harness/bkndApi';
import { gotoHydrated, launchChromium, signInWithForm } from '../../tests/harness/browser';
import { DEMO_USERS, startStack, type Stack } from '../../tests/harness/stack';
import { webRequest } from '../../tests/harness/webClient';

// From a visitor's request to the client's own space, in Chromium, with the staff pipeline open the whole time:
// the lead is sent through the public intake (`POST /api/leads` of the web app), appears on the open board
// without a reload and gets its analysis badge live; a colleague's move (bknd's REST API) moves the card; the
// staff member moves it to "won" from the card, converts it, and gets the one-time link; in another browser the
// invited client sets a password and lands on the new tenant's portal, which shows the new project.

const TITLE = 'Traçabilité de l’ylang-ylang de Nosy Be';
const COMPANY = 'Distillerie Ylang Nosy Be';
const CONTACT_EMAIL = 'mamy@ylang-nosybe.mg';

describe('the leads pipeline, live, to a new client space (Chromium)', () => {
	let stack: Stack;
	let browser: Browser;
	const contexts: BrowserContext[] = [];

	beforeAll(async () => {
		[stack, browser] = await Promise.all([startStack(), launchChromium()]);
	}, 240_000);

	afterAll(async () => {
		await Promise.allSettled(contexts.map((c) => c.close()));
		await browser?.close();
		await stack?.stop();
	});

	const card = (page: Page) => page.locator('[data-testid="lead-card"]', { hasText: TITLE });

	it('PIPE-E2E-1 a new lead appears on the open board, moves live, converts, and its contact reaches the new space', async () => {
		const staffContext = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
		contexts.push(staffContext);
		const staff = await signInWithForm(staffContext, stack.web.url, DEMO_USERS.designer);
		await gotoHydrated(staff, `${stack.web.url}/crm/leads`);
		await expect.poll(() => staff.getByTestId('live-status').getAttribute('data-state'), { timeout: 30_000 }).toBe('live');
		expect(await card(staff).count()).toBe(0);
		// A reload would drop this mark: everything below happens on the same page.
		await staff.evaluate(() => ((window as unknown as { __mark: string }).__mark = 'same-page'));

		// A visitor sends the intake form (the web app's public endpoint; its answer streams the offline analysis).
		const sent = await webRequest(stack.web.url, '/api/leads', {
			method: 'POST',
			body: sampleBrief({ title: TITLE, company: COMPANY, contactName: 'Mamy Razafy', email: CONTACT_EMAIL, industry: 'agritech' })
		});
		expect(sent.status).toBe(200);

		// It shows up in "Nouveau", then its analysis badge says who wrote it (offline: no Claude key in tests).
		await expect.poll(() => card(staff).getAttribute('data-status'), { timeout: 20_000 }).toBe('new');
		await expect.poll(() => card(staff).getByTestId('analysis-badge').getAttribute('data-badge'), { timeout: 20_000 }).toBe('offline');
		await expect.poll(() => card(staff).getByTestId('lead-estimate').innerText(), { timeout: 20_000 }).toMatch(/\d.*Ar/);

		// A colleague qualifies it through bknd's REST API: the card moves on this board.
		const admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		const [lead] = await bkndRows<{ id: number }>(stack.bknd.url, admin, 'leads', `&where=${encodeURIComponent(JSON.stringify({ title: TITLE }))}`);
		await bkndPatch(stack.bknd.url, admin, 'leads', lead!.id, { status: 'qualified' });
		await expect.poll(() => card(staff).getAttribute('data-status'), { timeout: 20_000 }).toBe('qualified');
		expect(await staff.locator('[data-testid="lead-column"][data-status="qualified"] [data-testid="lead-card"]', { hasText: TITLE }).count()).toBe(1);

		// The staff member drags it to "Proposition", then moves it to "Gagné" with the card's own select (the keyboard path).
		await card(staff).dragTo(staff.locator('[data-testid="lead-column"][data-status="proposal"]'));
		await expect.poll(async () => (await bkndRows<{ status: string }>(stack.bknd.url, admin, 'leads', `&where=${encodeURIComponent(JSON.stringify({ id: lead!.id }))}`))[0]?.status, { timeout: 20_000 }).toBe('proposal');
		await card(staff).getByTestId('lead-move-select').selectOption('won');
		await card(staff).getByTestId('lead-move-submit').click();
		await expect.poll(() => card(staff).getAttribute('data-status'), { timeout: 20_000 }).toBe('won');
		await expect.poll(async () => (await bkndRows<{ status: string }>(stack.bknd.url, admin, 'leads', `&where=${encodeURIComponent(JSON.stringify({ id: lead!.id }))}`))[0]?.status, { timeout: 20_000 }).toBe('won');
		expect(await staff.evaluate(() => (window as unknown as { __mark?: string }).__mark)).toBe('same-page');

		// Its page: the analysis and the brief are there; the slug is pre-filled from the company; staff choose a shorter one.
		await card(staff).getByRole('link').click();
		await staff.waitForURL(`**/crm/leads/${lead!.id}`);
		await staff.waitForSelector('html[data-hydrated="true"]');
		await expect.poll(() => staff.getByTestId('analysis').getAttribute('data-badge')).toBe('offline');
		expect(await staff.getByTestId('brief').innerText()).toContain('Nos 400 producteurs de vanille');
		// The page follows the lead live: a colleague's version of the draft replaces the untouched text box.
		await bkndPatch(stack.bknd.url, admin, 'leads', lead!.id, { proposal_draft: 'Version relue par Lova.' });
		await expect.poll(() => staff.getByTestId('draft-text').inputValue(), { timeout: 20_000 }).toBe('Version relue par Lova.');
		const slugField = staff.locator('input[name="slug"]');
		expect(await slugField.inputValue()).toBe('distillerie-ylang-nosy-be');
		await slugField.fill('ylang-nosy-be');
		await staff.getByTestId('convert-submit').click();
		const linkField = staff.getByTestId('one-time-link-url');
		await linkField.waitFor({ timeout: 30_000 });
		const link = await linkField.inputValue();
		expect(link).toMatch(/\/welcome\/[A-Za-z0-9_-]{43}$/);
		expect(await staff.getByTestId('converted-to').innerText()).toContain(COMPANY);

		// The invited client, in their own browser: sets a password and lands on the new tenant's portal.
		const clientContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
		contexts.push(clientContext);
		const client = await clientContext.newPage();
		await gotoHydrated(client, link);
		await client.getByTestId('new-password').fill('ylang-nosy-be-2026');
		await client.getByTestId('confirm-password').fill('ylang-nosy-be-2026');
		await Promise.all([client.waitForURL(`${stack.web.url}/ylang-nosy-be`, { timeout: 30_000 }), client.getByTestId('welcome-submit').click()]);
		await expect.poll(() => client.getByTestId('project-card').allInnerTexts(), { timeout: 20_000 }).toEqual([expect.stringContaining(TITLE)]);
		// Nothing of another tenant is on their portal.
		expect(await client.content()).not.toContain('Ferme Verte');
	});
});
