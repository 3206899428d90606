import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bkndLogin, bkndPatch, bkndRows } from '../../tests/harness/bkndApi';
import { gotoHydrated, launchChromium, signInWithForm } from '../../tests/harness/browser';
import { DEMO_USERS, startStack, type Stack } from '../../tests/harness/stack';

// A partner agency's share is revoked while its user has the review (and the project page) open. bknd's bridge
// tells the tenant's live room, which tells the project room, which closes the partner's sockets with 4403 (party/
// room/ReviewRoom.ts revokePartner): the pages must then stop with a clear "access withdrawn", close their sockets
// for good, and receive nothing more. Token renewal alone (every 30 s) could not pass this deadline: the push must.

/** "Within seconds": the requirement, which includes the re-render. */
const WITHIN_MS = 5_000;

/**
 * Records, in the page, every WebSocket it opens and what each one receives (binary frames decoded as UTF-8,
 * lossy but enough to find a comment's text in a Yjs update). A string, not a function: the test's compiled
 * functions can carry helpers that do not exist in the page.
 */
const RECORD_SOCKETS = `(() => {
	const Native = window.WebSocket;
	const sockets = [];
	const frames = [];
	window.__sockets = sockets;
	window.__frames = frames;
	window.WebSocket = class extends Native {
		constructor(url, protocols) {
			super(url, protocols);
			sockets.push(this);
			this.addEventListener('message', (event) => {
				const data = event.data;
				frames.push(typeof data === 'string' ? data : data instanceof ArrayBuffer ? new TextDecoder().decode(data) : '[blob]');
			});
		}
	};
})();`;

interface SocketLog {
	opened: number;
	open: number;
	frames: string[];
}

const socketLog = (page: Page): Promise<SocketLog> =>
	page.evaluate(() => {
		const w = window as unknown as { __sockets: WebSocket[]; __frames: string[] };
		return { opened: w.__sockets.length, open: w.__sockets.filter((s) => s.readyState !== WebSocket.CLOSED).length, frames: [...w.__frames] };
	});

describe('a partner whose share is revoked while in the review (Chromium)', () => {
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

	const newContext = async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		contexts.push(context);
		return context;
	};
	const roomStatus = async (page: Page) => {
		const pill = page.getByTestId('room-status');
		return `${await pill.getAttribute('data-state')}/${(await pill.getAttribute('data-reason')) ?? ''}`;
	};
	const live = (page: Page) => expect.poll(() => roomStatus(page), { timeout: 20_000 }).toBe('live/');

	/** Pins a comment on the open frame as `page`, in the client lane, and waits until the room saved it. */
	async function comment(page: Page, text: string, at: { x: number; y: number }) {
		const box = (await page.getByTestId('frame-view').boundingBox())!;
		await page.mouse.click(box.x + box.width * at.x, box.y + box.height * at.y);
		await page.getByTestId('composer-body').fill(text);
		await page.getByTestId('composer-submit').click();
		await expect.poll(() => page.getByTestId('thread').filter({ hasText: text }).count(), { timeout: 10_000 }).toBe(1);
		await expect.poll(() => page.getByTestId('save-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');
	}

	it(
		'LIVE-REVOKE-1 "a revoked share while connected: the room closes that socket within seconds, and the client shows why": access withdrawn on the review and project pages, no retry, nothing received after',
		async () => {
			const admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
			const [share] = await bkndRows<{ id: number; projects_id: number }>(stack.bknd.url, admin, 'project_shares', `&where=${encodeURIComponent('{"revoked_at":{"$isnull":true}}')}`);
			const reviewUrl = `${stack.web.url}/ferme-verte/projects/${share!.projects_id}/review`;

			const [designer, partner, observer] = await Promise.all([
				newContext().then((c) => signInWithForm(c, stack.web.url, DEMO_USERS.designer)),
				newContext().then(async (c) => {
					await c.addInitScript({ content: RECORD_SOCKETS });
					return signInWithForm(c, stack.web.url, DEMO_USERS.partner);
				}),
				// Another member of the room, to know when a later comment has reached everyone still connected.
				newContext().then((c) => signInWithForm(c, stack.web.url, DEMO_USERS.admin))
			]);
			// The same partner also has the project's overview open in another tab (its own socket to the room).
			const partnerOverview = await partner.context().newPage();
			await Promise.all([
				gotoHydrated(designer, reviewUrl),
				gotoHydrated(partner, reviewUrl),
				gotoHydrated(observer, reviewUrl),
				gotoHydrated(partnerOverview, reviewUrl.replace(/\/review$/, ''))
			]);
			await Promise.all([live(designer), live(partner), live(observer), live(partnerOverview)]);

			// The partner follows the review live: a frame, then a comment on it.
			await designer.getByTestId('frame-add').click();
			await designer.getByTestId('frame-name').fill('Suivi des parcelles');
			await designer.getByTestId('frame-width').fill('1440');
			await designer.getByTestId('frame-height').fill('900');
			await designer.getByTestId('frame-submit').click();
			await expect.poll(() => partner.getByTestId('frame-card').count(), { timeout: 10_000 }).toBe(1);
			await Promise.all([designer, partner, observer].map((p) => p.getByTestId('frame-open').click()));
			await comment(designer, 'Avant le retrait : légende des parcelles', { x: 0.3, y: 0.3 });
			await expect.poll(() => partner.getByTestId('thread').filter({ hasText: 'Avant le retrait' }).count(), { timeout: 10_000 }).toBe(1);
			expect((await socketLog(partner)).frames.some((f) => f.includes('Avant le retrait'))).toBe(true);

			// The agency withdraws the share, straight at bknd, as an admin would.
			const revokedAt = Date.now();
			await bkndPatch(stack.bknd.url, admin, 'project_shares', share!.id, { revoked_at: new Date().toISOString() });

			// Within seconds: the room is closed for both pages, and they say why (not "expired", not "reconnecting").
			await expect.poll(() => roomStatus(partner), { timeout: WITHIN_MS, interval: 100 }).toBe('denied/revoked');
			await expect.poll(() => roomStatus(partnerOverview), { timeout: WITHIN_MS, interval: 100 }).toBe('denied/revoked');
			const delay = Date.now() - revokedAt;
			console.log(`[revocation] both partner pages showed "access withdrawn" ${delay} ms after the revocation`);
			expect(delay).toBeLessThan(WITHIN_MS);
			expect(await partnerOverview.getByTestId('room-status').innerText()).toContain('retiré');
			expect(await partnerOverview.getByTestId('notes').isDisabled()).toBe(true);
			const panel = partner.getByTestId('review-denied');
			expect(await panel.getAttribute('data-reason')).toBe('revoked');
			const shown = await panel.innerText();
			expect(shown).toContain('Accès retiré');
			expect(shown).toContain('Votre accès à ce projet vient d’être retiré');
			expect(shown).not.toMatch(/expiré|reconnexion|rechargez/i);
			expect(await partner.getByTestId('room-status').innerText()).toContain('retiré');
			// The socket is closed for good: none open, and none opened again afterwards.
			await expect.poll(async () => (await socketLog(partner)).open, { timeout: 5_000 }).toBe(0);
			const atDenial = await socketLog(partner);

			// A comment written after the revocation reaches the others, never the partner.
			await comment(designer, 'Après le retrait : nouveaux tarifs', { x: 0.6, y: 0.6 });
			await expect.poll(() => observer.getByTestId('thread').filter({ hasText: 'Après le retrait' }).count(), { timeout: 10_000 }).toBe(1);
			const after = await socketLog(partner);
			expect(after.opened).toBe(atDenial.opened);
			expect(after.open).toBe(0);
			expect(after.frames.length).toBe(atDenial.frames.length);
			expect(after.frames.some((f) => f.includes('Après le retrait'))).toBe(false);
			expect(await partner.content()).not.toContain('Après le retrait');
			expect(await roomStatus(partner)).toBe('denied/revoked');
		},
		180_000
	);
});
