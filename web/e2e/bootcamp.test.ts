import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { bkndLogin, bkndRows } from '../../tests/harness/bkndApi';
import { gotoHydrated, launchChromium, signInWithForm } from '../../tests/harness/browser';
import { DEMO_USERS, startStack, type Stack } from '../../tests/harness/stack';

// The public site on a phone and the bootcamp application, as people use them: a visitor on a 360 px screen
// finds the way to the intake, applies to the open cohort with the keyboard only, and the agency's dashboard
// then counts that application.

const PHONE = { width: 360, height: 740 };

describe('public site and bootcamp in Chromium', () => {
	let stack: Stack;
	let browser: Browser;
	let openCohort: { id: number; title: string };

	beforeAll(async () => {
		[stack, browser] = await Promise.all([startStack(), launchChromium()]);
		const admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		openCohort = (await bkndRows<{ id: number; title: string; status: string }>(stack.bknd.url, admin, 'bootcamp_cohorts')).find((c) => c.status === 'open')!;
	}, 240_000);

	afterAll(async () => {
		await browser?.close();
		await stack?.stop();
	});

	/** Whether the page is wider than the screen (a horizontal scroll bar on a phone). */
	const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
	const focused = (page: Page) => page.evaluate(() => {
		const el = document.activeElement as HTMLInputElement | null;
		return { name: el?.getAttribute('name') ?? null, testid: el?.dataset.testid ?? null, type: el?.type ?? null };
	});

	it('BOOT-E2E-1 on a 360 px phone the home and bootcamp pages never scroll sideways, and the home page’s call leads to /intake', async () => {
		const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
		const page = await context.newPage();
		await gotoHydrated(page, `${stack.web.url}/`);
		expect(await overflows(page)).toBe(false);
		await gotoHydrated(page, `${stack.web.url}/bootcamp`);
		expect(await overflows(page)).toBe(false);

		await gotoHydrated(page, `${stack.web.url}/`);
		const cta = page.getByTestId('home-cta-intake');
		expect(await cta.isVisible()).toBe(true);
		// Above the fold on the phone: the first thing a visitor can act on.
		const box = (await cta.boundingBox())!;
		expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
		await Promise.all([page.waitForURL((url) => url.pathname === '/intake'), cta.tap()]);
		await context.close();
	});

	it('BOOT-E2E-2 a visitor applies to the open cohort with the keyboard, sees the confirmation, and the staff dashboard counts it', async () => {
		const applicationsCell = (page: Page) => page.locator(`[data-testid="bootcamp-stats-row"][data-cohort-id="${openCohort.id}"] [data-testid="stat-applications"]`);
		const staff = await signInWithForm(await browser.newContext({ viewport: { width: 1280, height: 900 } }), stack.web.url, DEMO_USERS.designer);
		await gotoHydrated(staff, `${stack.web.url}/crm/dashboard`);
		const before = Number(await applicationsCell(staff).getAttribute('data-value'));

		const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
		const page = await context.newPage();
		await gotoHydrated(page, `${stack.web.url}/bootcamp`);

		// The hero's "Postuler" link, then Tab through the form: the open cohort is the only one, so it is chosen.
		await page.getByTestId('bootcamp-cta-apply').focus();
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => url.hash === '#candidature');
		await page.keyboard.press('Tab');
		expect(await focused(page)).toMatchObject({ name: 'cohortId', type: 'radio' });
		expect(await page.locator(`input[name="cohortId"][value="${openCohort.id}"]`).isChecked()).toBe(true);
		await page.keyboard.press('Tab');
		await page.keyboard.type('Lalaina Rabe');
		await page.keyboard.press('Tab');
		await page.keyboard.type('lalaina.rabe@'); // unfinished on purpose: the page says so before sending anything
		await page.keyboard.press('Tab');
		await page.keyboard.type('+261 33 12 345 67');
		await page.keyboard.press('Tab');
		expect(await focused(page)).toMatchObject({ name: 'level', type: 'radio' });
		await page.keyboard.press('Space');
		await page.keyboard.press('Tab');
		await page.keyboard.type('Étudiante en design graphique');
		await page.keyboard.press('Tab');
		await page.keyboard.type('Je veux apprendre à concevoir des applications mobiles utiles pour les producteurs de ma région.');
		await page.keyboard.press('Tab'); // the portfolio link is optional
		await page.keyboard.press('Tab');
		expect(await focused(page)).toMatchObject({ name: 'heardFrom' });
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('Tab');
		expect(await focused(page)).toMatchObject({ name: 'consent', type: 'checkbox' });
		await page.keyboard.press('Space');
		await page.keyboard.press('Tab');
		expect(await focused(page)).toMatchObject({ testid: 'apply-submit' });
		await page.keyboard.press('Enter');

		// Checked in the page with the server's schema: a French message at the email, which gets the focus.
		await expect.poll(() => page.getByTestId('error-email').textContent()).toBe('Saisissez une adresse e-mail valide (ex. nom@domaine.mg).');
		expect(await focused(page)).toMatchObject({ name: 'email' });
		expect(await page.getByTestId('form-message').textContent()).toContain('Vos saisies sont conservées');
		expect(await page.getByTestId('field-fullName').inputValue()).toBe('Lalaina Rabe');
		await page.keyboard.press('End');
		await page.keyboard.type('example.com');
		await page.keyboard.press('Enter');

		const success = page.getByTestId('application-success');
		await success.waitFor({ timeout: 20_000 });
		expect(await success.textContent()).toContain(`Merci Lalaina Rabe ! Votre candidature pour « ${openCohort.title} » est bien reçue.`);
		expect(await focused(page)).toMatchObject({ testid: 'application-success' });
		expect(await overflows(page)).toBe(false);

		// Stored once, as received, for that cohort; the agency's dashboard counts it after a reload.
		const admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
		const stored = (await bkndRows<{ email: string; status: string; bootcamp_cohorts_id: number }>(stack.bknd.url, admin, 'bootcamp_applications')).filter((a) => a.email === 'lalaina.rabe@example.com');
		expect(stored).toEqual([expect.objectContaining({ status: 'received', bootcamp_cohorts_id: openCohort.id })]);
		await staff.reload();
		await expect.poll(() => applicationsCell(staff).getAttribute('data-value')).toBe(String(before + 1));
		await context.close();
	});
});
