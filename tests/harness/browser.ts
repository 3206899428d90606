import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, never a downloaded one; flags keep it off the network we do not have. */
export async function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
	});
}

/** Opens a page and waits until Svelte hydrated it: clicks before hydration are lost. */
export async function gotoHydrated(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
}

/** Signs in through the real sign-in form, as a person would. */
export async function signInWithForm(context: BrowserContext, baseUrl: string, email: string, password = 'fataplus-demo'): Promise<Page> {
	const page = await context.newPage();
	await gotoHydrated(page, `${baseUrl}/login`);
	await page.getByTestId('email').fill(email);
	await page.getByTestId('password').fill(password);
	await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 }), page.getByTestId('submit').click()]);
	return page;
}
