import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkndLogin, bkndRows, resetSubmissionLimit } from '../harness/bkndApi';
import { DEMO_USERS, startStack, type Stack } from '../harness/stack';
import { signIn, webRequest, type WebResponse } from '../harness/webClient';
import { bootcampApplication } from '../harness/bootcampApplication';

// The public site and the bootcamp against the real stack: seeded bknd, rooms, and the built app under wrangler.
// What must never happen: a page that is not server-rendered in the visitor's language, an application stored
// when it was refused (invalid, honeypot, over the limit, too large, wrong cohort, bknd down), a visitor
// reaching bknd's data API, or bootcamp figures shown to anyone but staff.

interface Cohort { id: number; title: string; status: string; seats: number }
interface Application { id: number; email: string; status: string; bootcamp_cohorts_id: number | null; full_name: string }

let stack: Stack;
let admin: string;
let cohorts: Cohort[];
let open: Cohort;
const cookies: Record<string, string> = {};

const applications = () => bkndRows<Application>(stack.bknd.url, admin, 'bootcamp_applications', '&sort=id');

/** A valid application to the open cohort; `tag` makes its email unique. */
const application = (tag: string, extra: Record<string, unknown> = {}) => bootcampApplication(open.id, tag, extra);

/** A browser's form post without JavaScript (SvelteKit answers a form action with HTML only when HTML is asked for). */
const FORM_POST = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

const apply = (body: unknown, headers: Record<string, string> = {}) => webRequest(stack.web.url, '/api/bootcamp/applications', { method: 'POST', body, headers });


const count = (html: string, pattern: RegExp) => [...html.matchAll(new RegExp(pattern, 'g'))].length;
const metaContent = (html: string, attr: 'name' | 'property', value: string) => new RegExp(`<meta ${attr}="${value}" content="([^"]*)"`).exec(html)?.[1];

// wrangler dev keeps the worker's console.log out of its quiet output but writes it to its debug log file:
// WRANGLER_LOG_PATH (a directory) puts that file where REQLOG-5 reads the web worker's request lines.
const wranglerLogs = mkdtempSync(join(tmpdir(), 'fp-wrangler-logs-'));

beforeAll(async () => {
	process.env.WRANGLER_LOG_PATH = wranglerLogs;
	stack = await startStack();
	admin = await bkndLogin(stack.bknd.url, DEMO_USERS.admin);
	cohorts = await bkndRows<Cohort>(stack.bknd.url, admin, 'bootcamp_cohorts');
	open = cohorts.find((c) => c.status === 'open')!;
	for (const key of ['designer', 'clientFerme', 'partner'] as const) cookies[key] = await signIn(stack.web.url, DEMO_USERS[key]);
}, 240_000);

afterAll(async () => {
	await stack?.stop();
	delete process.env.WRANGLER_LOG_PATH;
	rmSync(wranglerLogs, { recursive: true, force: true });
});

describe('SITE: the public home page', () => {
	it('SITE-1 / is server-rendered in French by default and in English on request, with its SEO basics', async () => {
		const fr = await webRequest(stack.web.url, '/');
		expect(fr.status).toBe(200);
		expect(fr.body).toMatch(/<html lang="fr">/);
		expect(fr.body).toContain('Des produits numériques clairs, conçus à Madagascar');
		expect(fr.body).toMatch(/<title>Fataplus · Agence UX\/UI et design produit à Madagascar<\/title>/);
		// One title and one description (the layout's default is replaced, not doubled); Open Graph for link previews.
		expect(count(fr.body, /<title>/)).toBe(1);
		expect(count(fr.body, /<meta name="description"/)).toBe(1);
		expect(metaContent(fr.body, 'name', 'description')).toMatch(/^Fataplus conçoit des applications/);
		expect(metaContent(fr.body, 'property', 'og:title')).toBe('Fataplus · Agence UX/UI et design produit à Madagascar');
		expect(metaContent(fr.body, 'property', 'og:description')).toBe(metaContent(fr.body, 'name', 'description'));
		// The ways in: the intake, the bootcamp; the header's navigation; the skip link; headings in order.
		expect(fr.body).toContain('href="/intake"');
		expect(fr.body).toContain('href="/bootcamp"');
		expect(fr.body).toContain('href="#main"');
		expect(count(fr.body, /<h1[ >]/)).toBe(1);
		for (const text of ['Réalisations choisies', 'Comment se déroule un projet', 'Bootcamp Figma · 12 semaines']) expect(fr.body).toContain(text);
		// Ariary as Intl writes them in French: narrow no-break spaces between thousands.
		expect(fr.body).toMatch(/790\s000\sAr la formation complète/);

		const en = await webRequest(stack.web.url, '/', { cookie: 'lang=en' });
		expect(en.status).toBe(200);
		expect(en.body).toMatch(/<html lang="en">/);
		expect(en.body).toContain('Clear digital products, designed in Madagascar');
		expect(metaContent(en.body, 'property', 'og:locale')).toBe('en_GB');
		expect(en.body).not.toContain('Réalisations choisies');
	});

	it('SITE-2 a signed-in person still finds the way to their own space from /', async () => {
		const page = await webRequest(stack.web.url, '/', { cookie: cookies.clientFerme });
		expect(page.status).toBe(200);
		expect(page.body).toMatch(/<a class="btn btn-gold" href="\/app" data-testid="go-to-space"/);
		expect(page.body).toContain('Fara Rasoa');
	});
});

describe('SEO: what search engines and the logs see', () => {
	it('SEO-1 robots.txt and sitemap.xml are served; ?lang=en pages are English without a cookie, ?lang=fr wins over one', async () => {
		const robots = await webRequest(stack.web.url, '/robots.txt');
		expect(robots.status).toBe(200);
		expect(robots.headers['content-type']).toMatch(/^text\/plain/);
		expect(robots.body).toContain('Allow: /bootcamp$');
		expect(robots.body).toMatch(/^Disallow: \/$/m);
		expect(robots.body).toContain(`Sitemap: ${stack.web.url}/sitemap.xml`);
		const tenantRobots = await webRequest(stack.web.url, '/robots.txt', { host: `ferme-verte.${new URL(stack.web.url).host}` });
		expect(tenantRobots.body).toMatch(/^Disallow: \/$/m);
		expect(tenantRobots.body).not.toContain('Allow');

		const map = await webRequest(stack.web.url, '/sitemap.xml');
		expect(map.status).toBe(200);
		expect(map.headers['content-type']).toMatch(/^application\/xml/);
		expect(map.body).toContain(`<loc>${stack.web.url}/bootcamp?lang=en</loc>`);

		const en = await webRequest(stack.web.url, '/?lang=en');
		expect(en.body).toMatch(/<html lang="en">/);
		expect(en.body).toContain('Clear digital products, designed in Madagascar');
		const bootcampEn = await webRequest(stack.web.url, '/bootcamp?lang=en');
		expect(bootcampEn.body).toMatch(/<html lang="en">/);
		const fr = await webRequest(stack.web.url, '/?lang=fr', { cookie: 'lang=en' });
		expect(fr.body).toMatch(/<html lang="fr">/);
	});

	it('SEO-2 arriving on ?lang=en keeps English on the next page; the language switch there goes back without the query', async () => {
		const landing = await webRequest(stack.web.url, '/bootcamp?lang=en');
		const setCookie = ([] as string[]).concat(landing.headers['set-cookie'] ?? []);
		const lang = setCookie.find((c) => c.startsWith('lang='))?.split(';')[0];
		expect(lang).toBe('lang=en');
		const next = await webRequest(stack.web.url, '/intake', { cookie: lang });
		expect(next.body).toMatch(/<html lang="en">/);
		// Without JavaScript the switch posts `next`: the same page, minus `?lang=`, or French could never win.
		expect(landing.body).toContain('name="next" value="/bootcamp"');
		expect(landing.body).not.toContain('value="/bootcamp?lang=en"');
		// A visit without the query sets no cookie.
		expect(([] as string[]).concat((await webRequest(stack.web.url, '/bootcamp')).headers['set-cookie'] ?? []).some((c) => c.startsWith('lang='))).toBe(false);
	});
});

describe('REQLOG: one JSON line per request in the worker log', () => {
	const workerLog = () => readdirSync(wranglerLogs).map((file) => readFileSync(join(wranglerLogs, file), 'utf8')).join('\n');
	const requestLines = () =>
		workerLog()
			.split('\n')
			.filter((line) => line.startsWith('{"route":'))
			.map((line) => JSON.parse(line) as Record<string, unknown>);

	it('REQLOG-5 each request leaves one JSON line with its route id and tenant, and no email, token or query', async () => {
		const token = 'A'.repeat(43);
		await webRequest(stack.web.url, '/ferme-verte/dashboard?email=fara@ferme-verte.mg', { cookie: cookies.clientFerme });
		await webRequest(stack.web.url, `/welcome/${token}?ref=secret-query-value`);
		await expect.poll(() => requestLines().some((line) => line.route === '/welcome/[token]'), { timeout: 10_000 }).toBe(true);
		expect(requestLines()).toContainEqual({ route: '/[tenant=tenant]/dashboard', method: 'GET', status: 200, ms: expect.any(Number), tenant: 'ferme-verte' });
		const lines = requestLines().map((line) => JSON.stringify(line)).join('\n');
		for (const secret of ['fara@ferme-verte.mg', token, 'secret-query-value', cookies.clientFerme!.slice('fp_session='.length)]) expect(lines).not.toContain(secret);
	});
});

describe('BOOT-WEB: the bootcamp page and applications', () => {
	it('BOOT-WEB-1 /bootcamp shows bknd’s cohorts with their seats in French and English, never a finished one', async () => {
		// A cohort added in bknd right now shows up: the list is read at each request, not built into the app.
		const added = await fetch(`${stack.bknd.url}/api/data/entity/bootcamp_cohorts`, {
			method: 'POST',
			headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
			body: JSON.stringify({ title: 'Session spéciale ONG · juin 2027', start_date: '2027-06-07', weeks: 12, seats: 12, price_mga: 650_000, status: 'closed' })
		});
		expect(added.status).toBe(201);

		const fr = await webRequest(stack.web.url, '/bootcamp');
		expect(fr.status).toBe(200);
		expect(fr.body).toMatch(/<html lang="fr">/);
		expect(count(fr.body, /<meta name="description"/)).toBe(1);
		expect(metaContent(fr.body, 'property', 'og:title')).toBe('Bootcamp Figma de 12 semaines · Fataplus');
		expect(fr.body).toContain('Session spéciale ONG · juin 2027');
		expect(fr.body).toContain(open.title);
		expect(fr.body).toContain(cohorts.find((c) => c.status === 'running')!.title);
		expect(fr.body).not.toContain(cohorts.find((c) => c.status === 'finished')!.title);
		// Seats left = seats − accepted/enrolled applications, counted here from bknd's rows.
		const held = (await applications()).filter((a) => a.bootcamp_cohorts_id === open.id && ['accepted', 'enrolled'].includes(a.status)).length;
		expect(fr.body).toContain(`${open.seats - held} place(s) restante(s) sur ${open.seats}`);
		expect(fr.body).toMatch(new RegExp(`data-cohort-id="${open.id}" data-availability="open"`));
		expect(fr.body).toContain('Semaine 12');
		expect(fr.body).toContain('Questions fréquentes');
		// The form offers the open cohort only.
		expect(fr.body).toMatch(new RegExp(`name="cohortId" value="${open.id}"`));
		expect(count(fr.body, /name="cohortId"/)).toBe(1);

		const en = await webRequest(stack.web.url, '/bootcamp', { cookie: 'lang=en' });
		expect(en.body).toMatch(/<html lang="en">/);
		expect(en.body).toContain(`${open.seats - held} seat(s) left of ${open.seats}`);
		expect(en.body).toContain('Frequently asked questions');
	});

	it('BOOT-WEB-2 an application is stored in bknd with status received, for the cohort chosen', async () => {
		await resetSubmissionLimit(stack.bknd.dbPath);
		const res = await apply(application('heureuse'));
		expect(res.status).toBe(201);
		expect(res.json()).toEqual({ ok: true });
		const stored = (await applications()).filter((a) => a.email === 'heureuse@example.com');
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({ status: 'received', bootcamp_cohorts_id: open.id, full_name: 'Candidate heureuse' });
	});

	it('BOOT-WEB-3 invalid answers get French messages per field and store nothing; without JavaScript the page shows them next to the fields, values kept', async () => {
		const before = (await applications()).length;
		const res = await apply(application('invalide', { email: 'pas-une-adresse', motivation: 'Court.', level: '', consent: false }));
		expect(res.status).toBe(400);
		expect(res.json()).toEqual({
			ok: false,
			error: 'Le formulaire contient des erreurs : corrigez les champs signalés. Vos saisies sont conservées.',
			fields: {
				email: 'Saisissez une adresse e-mail valide (ex. nom@domaine.mg).',
				level: 'Choisissez une des options proposées.',
				motivation: 'Au moins 30 caractères.',
				consent: 'Votre accord est nécessaire pour envoyer ce formulaire.'
			}
		});

		const form = new URLSearchParams({ ...application('sans-js'), email: 'sans-js@', consent: '' } as Record<string, string>).toString();
		const page = await webRequest(stack.web.url, '/bootcamp?/apply', { method: 'POST', body: form, headers: FORM_POST });
		expect(page.status).toBe(400);
		expect(page.body).toContain('data-testid="error-email">Saisissez une adresse e-mail valide (ex. nom@domaine.mg).</p>');
		expect(page.body).toContain('data-testid="error-consent">Votre accord est nécessaire pour envoyer ce formulaire.</p>');
		// What was typed is still there, escaped as text.
		expect(page.body).toMatch(/value="Candidate sans-js"/);
		expect(page.body).toContain('sans-js@');
		expect(page.body).toContain('Je conçois déjà des sites');
		expect((await applications()).length).toBe(before);
	});

	it('BOOT-WEB-4 the form also works without JavaScript: a valid post is stored and confirmed', async () => {
		const form = new URLSearchParams({ ...application('formulaire'), consent: 'on' } as Record<string, string>).toString();
		const page = await webRequest(stack.web.url, '/bootcamp?/apply', { method: 'POST', body: form, headers: FORM_POST });
		expect(page.status).toBe(200);
		expect(page.body).toContain('data-testid="application-success"');
		expect(page.body).toContain(`Merci Candidate formulaire ! Votre candidature pour « ${open.title} » est bien reçue.`);
		expect((await applications()).filter((a) => a.email === 'formulaire@example.com')).toMatchObject([{ status: 'received' }]);
	});

	it('BOOT-WEB-5 a filled honeypot is answered like a success and nothing is stored', async () => {
		const before = (await applications()).length;
		const res = await apply(application('robot', { website: 'https://promo.example' }));
		expect(res.status).toBe(201);
		expect(res.json()).toEqual({ ok: true });
		const after = await applications();
		expect(after.length).toBe(before);
		expect(after.some((a) => a.email === 'robot@example.com')).toBe(false);
	});

	it('BOOT-WEB-6 a closed cohort is refused by the server too, with a French message on the cohort, nothing stored', async () => {
		const closed = (await bkndRows<Cohort>(stack.bknd.url, admin, 'bootcamp_cohorts')).find((c) => c.status === 'closed')!;
		const before = (await applications()).length;
		const res = await apply(application('fermee', { cohortId: String(closed.id) }));
		expect(res.status).toBe(409);
		expect(res.json()).toMatchObject({ ok: false, fields: { cohortId: 'Cette session n’accepte plus de candidatures.' } });
		expect((await applications()).length).toBe(before);
	});

	it('BOOT-WEB-7 a 6th application from one address within 10 minutes gets 429 and the French message, and is not stored', async () => {
		await resetSubmissionLimit(stack.bknd.dbPath);
		for (let i = 1; i <= 5; i++) expect((await apply(application(`serie-${i}`))).status).toBe(201);
		const sixth = await apply(application('serie-6'));
		expect(sixth.status).toBe(429);
		expect(sixth.json().error).toBe('Trop d’envois depuis votre connexion. Réessayez dans 10 minutes.');
		expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(540);
		const stored = await applications();
		expect(stored.filter((a) => /^serie-\d@/.test(a.email))).toHaveLength(5);
		expect(stored.some((a) => a.email === 'serie-6@example.com')).toBe(false);
	});

	it('BOOT-WEB-8 a body over 64 KiB is refused with 413 before anything else, as JSON or as a form post', async () => {
		await resetSubmissionLimit(stack.bknd.dbPath);
		const before = (await applications()).length;
		const json: WebResponse = await apply(application('volumineux', { motivation: 'm'.repeat(65 * 1024) }));
		expect(json.status).toBe(413);
		expect(json.json().error).toBe('Le formulaire est trop volumineux : raccourcissez les textes.');
		const form = new URLSearchParams({ ...application('volumineux-form'), motivation: 'm'.repeat(65 * 1024), consent: 'on' } as Record<string, string>).toString();
		const page = await webRequest(stack.web.url, '/bootcamp?/apply', { method: 'POST', body: form, headers: FORM_POST });
		expect(page.status).toBe(413);
		expect(page.body).toContain('Le formulaire est trop volumineux');
		expect((await applications()).length).toBe(before);
	});
});

describe('DASH-BOOT: bootcamp analytics on the staff dashboard', () => {
	/** `{ applications, acceptance, seats, completion }` per cohort id, as the page's cells carry them. */
	function statsOf(html: string): Map<number, Record<string, string>> {
		const rows = new Map<number, Record<string, string>>();
		for (const row of html.matchAll(/<tr data-testid="bootcamp-stats-row" data-cohort-id="(\d+)">([\s\S]*?)<\/tr>/g)) {
			const cells: Record<string, string> = {};
			for (const cell of row[2]!.matchAll(/data-testid="stat-(\w+)" data-value="([^"]*)"/g)) cells[cell[1]!] = cell[2]!;
			rows.set(Number(row[1]), cells);
		}
		return rows;
	}

	it('DASH-BOOT-1 staff see, per cohort, applications, acceptance, seats filled and completion computed from bknd', async () => {
		const page = await webRequest(stack.web.url, '/crm/dashboard', { cookie: cookies.designer });
		expect(page.status).toBe(200);
		expect(page.body).toContain('Bootcamp : sessions et candidatures');
		const shown = statsOf(page.body);
		const all = await bkndRows<Cohort>(stack.bknd.url, admin, 'bootcamp_cohorts');
		const rows = await applications();
		expect([...shown.keys()].sort()).toEqual(all.map((c) => c.id).sort());
		const pct = (part: number, whole: number) => (whole === 0 ? '' : String(Math.round((part / whole) * 100)));
		for (const cohort of all) {
			const of = (...statuses: string[]) => rows.filter((a) => a.bootcamp_cohorts_id === cohort.id && statuses.includes(a.status)).length;
			const admitted = of('accepted', 'enrolled', 'completed', 'dropped');
			expect(shown.get(cohort.id), cohort.title).toEqual({
				applications: String(rows.filter((a) => a.bootcamp_cohorts_id === cohort.id).length),
				acceptance: pct(admitted, admitted + of('rejected')),
				seats: String(of('accepted', 'enrolled')),
				completion: pct(of('completed'), of('completed', 'dropped'))
			});
		}
		// The seed's finished cohort: 3 completed and 1 dropped of 5, one rejected.
		const finished = all.find((c) => c.status === 'finished')!;
		expect(shown.get(finished.id)).toMatchObject({ acceptance: '80', completion: '75' });
		// No applicant's name or email travels to the dashboard.
		expect(page.body).not.toContain('@example.com');
	});

	it('DASH-BOOT-2 clients and partners never see the bootcamp figures; anonymous visitors are sent to sign in', async () => {
		for (const who of ['clientFerme', 'partner'] as const) {
			const page = await webRequest(stack.web.url, '/crm/dashboard', { cookie: cookies[who] });
			expect(page.status, who).toBe(403);
			expect(page.body).not.toContain('bootcamp-stats');
			expect(page.body).not.toContain('Bootcamp : sessions');
		}
		const anonymous = await webRequest(stack.web.url, '/crm/dashboard');
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.location).toMatch(/^\/login/);
	});
});

// Spellings of `next` that normalise to `//evil.example` (a browser reads a leading `//` as another host).
const OFF_SITE_NEXT = ['/.//evil.example', '/..//evil.example', '/%2e//evil.example', '/a/..//evil.example', '/\\evil.example', '//evil.example'];

/** Where a Location header sends a browser that is on the web app. */
const landsOn = (location: unknown) => new URL(String(location), stack.web.url).host;

describe('REDIRECT: after sign-in and the language switch, `next` never leaves the site', () => {
	it.each(OFF_SITE_NEXT)('REDIRECT-1 a signed-in visit to /login?next=%s stays on the site', async (next) => {
		const page = await webRequest(stack.web.url, `/login?next=${encodeURIComponent(next)}`, { cookie: cookies.designer });
		expect(page.status).toBe(303);
		expect(String(page.headers.location)).not.toMatch(/^\/[\/\\]/);
		expect(landsOn(page.headers.location)).toBe(new URL(stack.web.url).host);
	});

	it.each(OFF_SITE_NEXT)('REDIRECT-2 the no-JavaScript sign-in form with next=%s lands on the site', async (next) => {
		const body = new URLSearchParams({ email: DEMO_USERS.designer, password: 'fataplus-demo' }).toString();
		const page = await webRequest(stack.web.url, `/login?next=${encodeURIComponent(next)}`, { method: 'POST', body, headers: { ...FORM_POST, origin: stack.web.url } });
		expect(page.status).toBe(303);
		expect(String(page.headers.location)).not.toMatch(/^\/[\/\\]/);
		expect(landsOn(page.headers.location)).toBe(new URL(stack.web.url).host);
	});

	it.each(OFF_SITE_NEXT)('REDIRECT-3 the language switch posted with next=%s goes back to a page of the site', async (next) => {
		const body = new URLSearchParams({ lang: 'en', next }).toString();
		const page = await webRequest(stack.web.url, '/api/lang', { method: 'POST', body, headers: { ...FORM_POST, origin: stack.web.url } });
		expect(page.status).toBe(303);
		expect(page.headers.location).toBe('/');
	});

	it('REDIRECT-4 an ordinary next is kept, normalised', async () => {
		const page = await webRequest(stack.web.url, `/login?next=${encodeURIComponent('/crm/./clients?q=a')}`, { cookie: cookies.designer });
		expect(page.headers.location).toBe('/crm/clients?q=a');
	});
});

describe('BOOT-DOWN: bknd unreachable (last: it stops this stack’s bknd)', () => {
	it('BOOT-DOWN-1 the page still renders and says the cohorts cannot be shown; an application gets a clear 503, nothing claimed', async () => {
		await stack.bknd.stop();
		const page = await webRequest(stack.web.url, '/bootcamp');
		expect(page.status).toBe(200);
		expect(page.body).toContain('data-testid="cohorts-unavailable"');
		expect(page.body).toContain('Les sessions ne peuvent pas être affichées pour le moment.');
		expect(page.body).toContain('Semaine 1');
		const res = await apply(application('panne'));
		expect(res.status).toBe(503);
		expect(res.json().error).toBe('Le service de données est injoignable pour le moment : rien n’a été enregistré. Vos saisies sont conservées, réessayez dans quelques instants.');
	});
});
