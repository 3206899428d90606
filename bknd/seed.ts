import type { App } from 'bknd';
import type { Role } from '../shared/roles';
import { nextRevision } from './bridge/revision';
import { SHOWN_ENTITIES } from './bridge/toEvent';

// Demo data for local runs and tests. bknd's `options.seed` never runs in code mode (docs/bknd.md), so this runs in
// `onBuilt` on every boot and is idempotent: each row is looked up by its natural key first (slug, email,
// title within its client...) and only inserted when missing. The unique indexes on slugs and emails make a
// racing second boot fail instead of duplicating. It writes through `app.em`, which bypasses the guard; its
// inserts and updates go through the mutator, so dataRules.ts stamps `updated_at` and the live bridge hears them.

export const DEFAULT_DEMO_PASSWORD = 'fataplus-demo';

/** The demo accounts, one per role (and one client per tenant). */
export const DEMO_USERS = [
	{ email: 'admin@fata.plus', role: 'admin', name: 'Admin Fataplus' },
	{ email: 'designer@fata.plus', role: 'designer', name: 'Hery Rakoto' },
	{ email: 'partner@studio-partenaire.mg', role: 'partner', name: 'Lova Andria', partner: 'studio-partenaire' },
	{ email: 'client@ferme-verte.mg', role: 'client', name: 'Fara Rasoa', client: 'ferme-verte' },
	{ email: 'client@atelier-sud.mg', role: 'client', name: 'Nirina Rabe', client: 'atelier-sud' }
] as const satisfies readonly { email: string; role: Role; name: string; client?: string; partner?: string }[];

const CLIENTS = [
	{
		slug: 'ferme-verte',
		name: 'Ferme Verte',
		industry: 'Agritech, coopérative agricole',
		country: 'Madagascar',
		contact_name: 'Fara Rasoa',
		contact_email: 'contact@ferme-verte.mg',
		contact_phone: '+261 34 12 345 67'
	},
	{
		slug: 'atelier-sud',
		name: 'Atelier Sud',
		industry: 'Commerce de détail, marque de mode',
		country: 'Madagascar',
		contact_name: 'Nirina Rabe',
		contact_email: 'contact@atelier-sud.mg',
		contact_phone: '+261 32 98 765 43'
	}
];

const PARTNER = { slug: 'studio-partenaire', name: 'Studio Partenaire', contact_email: 'contact@studio-partenaire.mg', country: 'Madagascar' };

/** The project shared with Studio Partenaire (ferme-verte). */
export const SHARED_PROJECT_TITLE = 'Application de suivi des récoltes';

const PROJECTS: Record<string, Record<string, unknown>[]> = {
	'ferme-verte': [
		{
			title: SHARED_PROJECT_TITLE,
			description: 'Application mobile hors ligne pour enregistrer les récoltes des 120 producteurs de la coopérative et suivre les volumes par parcelle.',
			category: 'agritech',
			status: 'in_progress',
			progress: 60,
			start_date: '2025-09-01',
			due_date: '2026-02-27',
			budget_mga: 45_000_000,
			figma_file_key: 'hT4kZ9pQ2mW8xR1vN6bL3c'
		},
		{
			title: "Refonte de l'identité visuelle de la coopérative",
			description: 'Nouveau logo, charte graphique et étiquettes de produits pour les marchés d’Antananarivo.',
			category: 'design',
			status: 'review',
			progress: 85,
			start_date: '2025-10-06',
			due_date: '2025-12-19',
			budget_mga: 12_500_000,
			figma_file_key: 'Qm7Rt2yUv5Xc8Zb1Nd4Kf9'
		},
		{
			title: 'Tableau de bord des prix du marché',
			description: 'Relevé hebdomadaire des prix du riz, du manioc et de la vanille, publié pour les membres par SMS et sur le web.',
			category: 'agritech',
			status: 'planning',
			progress: 15,
			start_date: '2026-01-12',
			due_date: '2026-05-29',
			budget_mga: 28_000_000
		},
		{
			title: 'Formation numérique des producteurs',
			description: 'Quatre ateliers pratiques sur la saisie mobile des récoltes et la lecture des tableaux de bord.',
			category: 'bootcamp',
			status: 'completed',
			progress: 100,
			start_date: '2025-06-02',
			due_date: '2025-07-25',
			budget_mga: 6_800_000
		}
	],
	'atelier-sud': [
		{
			title: 'Boutique en ligne Atelier Sud',
			description: 'Site e-commerce avec paiement mobile (MVola, Orange Money) et gestion du stock des deux boutiques.',
			category: 'design',
			status: 'in_progress',
			progress: 40,
			start_date: '2025-10-13',
			due_date: '2026-03-13',
			budget_mga: 38_000_000,
			figma_file_key: 'Lp3Wx8Hc6Jv1Tg9Ys2Ra5e'
		},
		{
			title: 'Lancement de la collection saison des pluies',
			description: 'Campagne sur les réseaux sociaux, séance photo et lookbook pour la nouvelle collection.',
			category: 'consulting',
			status: 'intake',
			progress: 0,
			start_date: '2026-01-05',
			due_date: '2026-02-20',
			budget_mga: 9_500_000
		},
		{
			title: "Étude de l'expérience client en boutique",
			description: 'Entretiens avec les clientes et parcours en magasin pour réorganiser la boutique de Tuléar.',
			category: 'consulting',
			status: 'on_hold',
			progress: 25,
			start_date: '2025-08-18',
			due_date: '2025-11-28',
			budget_mga: 7_200_000
		}
	]
};

/** Staff-only notes and margins (never shown to clients or partners), by project title. */
const INTERNAL: Record<string, { internal_notes: string; margin_pct: number }> = {
	[SHARED_PROJECT_TITLE]: {
		internal_notes: 'Marge serrée : le mode hors ligne a coûté deux sprints de plus que prévu. Ne pas rouvrir le devis avant la livraison de février.',
		margin_pct: 18
	},
	"Refonte de l'identité visuelle de la coopérative": {
		internal_notes: 'Cliente très réactive ; proposer la signalétique des points de collecte en extension au printemps.',
		margin_pct: 42
	},
	'Boutique en ligne Atelier Sud': {
		internal_notes: 'Intégration MVola à risque : garder une semaine de tampon. Remise de 5 % accordée oralement, à confirmer par écrit.',
		margin_pct: 27
	}
};

/** Tracking figures of ferme-verte's agritech projects, by project title: `[key, unit, target, [date, value][]]`. */
const METRICS: Record<string, [key: string, unit: string, target: number, values: [date: string, value: number][]][]> = {
	[SHARED_PROJECT_TITLE]: [
		['farmers_onboarded', 'producteurs', 120, [['2025-10-01', 18], ['2025-11-03', 46], ['2025-12-01', 79], ['2026-01-05', 97]]],
		['hectares_covered', 'ha', 300, [['2025-10-01', 40], ['2025-11-03', 105], ['2025-12-01', 170], ['2026-01-05', 214]]],
		['pilot_sites_active', 'sites', 6, [['2025-10-01', 1], ['2025-11-03', 3], ['2025-12-01', 4], ['2026-01-05', 5]]]
	],
	'Tableau de bord des prix du marché': [
		['farmers_onboarded', 'producteurs', 120, [['2026-01-12', 0], ['2026-02-02', 12]]],
		['pilot_sites_active', 'sites', 3, [['2026-01-12', 0], ['2026-02-02', 1]]]
	]
};

const LEADS = [
	{
		title: 'Plateforme de traçabilité de la vanille',
		company: 'Vanille Sava SARL',
		contact_name: 'Tahina Randria',
		email: 'tahina@vanille-sava.mg',
		phone: '+261 33 45 678 90',
		status: 'qualified',
		source: 'site web',
		analysis: { summary: 'Traçabilité du producteur à l’export, certificats bio.', fit: 'agritech', budget_estimate_mga: 60_000_000 }
	},
	{
		title: 'Site vitrine pour un hôtel à Nosy Be',
		company: 'Hôtel Ravinala',
		contact_name: 'Mialy Razafy',
		email: 'mialy@ravinala-hotel.mg',
		phone: '+261 34 56 789 01',
		status: 'new',
		source: 'recommandation',
		analysis: { summary: 'Site bilingue avec réservation.', fit: 'design', budget_estimate_mga: 8_000_000 }
	},
	{
		title: 'Boutique en ligne pour une marque de mode',
		company: 'Atelier Sud',
		contact_name: 'Nirina Rabe',
		email: 'contact@atelier-sud.mg',
		status: 'won',
		source: 'salon',
		client: 'atelier-sud'
	}
];

/** The Figma bootcamp's cohorts (natural key: title): one finished, one running, one open for applications. */
const BOOTCAMP_COHORTS = [
	{ title: 'Bootcamp Figma · février 2026', start_date: '2026-02-02', weeks: 12, seats: 16, price_mga: 750_000, status: 'finished' },
	{ title: 'Bootcamp Figma · septembre 2026', start_date: '2026-09-07', weeks: 12, seats: 18, price_mga: 790_000, status: 'running' },
	{ title: 'Bootcamp Figma · février 2027', start_date: '2027-02-01', weeks: 12, seats: 20, price_mga: 790_000, status: 'open' }
];

/** Demo applications (natural key: email within its cohort), every status at least once; addresses are reserved example ones. */
const BOOTCAMP_APPLICATIONS: { cohort: string; full_name: string; email: string; status: string; level: string; occupation: string }[] = [
	{ cohort: 'Bootcamp Figma · février 2026', full_name: 'Miora Andrianina', email: 'miora.andrianina@example.com', status: 'completed', level: 'beginner', occupation: 'Étudiante en communication' },
	{ cohort: 'Bootcamp Figma · février 2026', full_name: 'Tsiry Rakotobe', email: 'tsiry.rakotobe@example.com', status: 'completed', level: 'intermediate', occupation: 'Développeur front-end' },
	{ cohort: 'Bootcamp Figma · février 2026', full_name: 'Hanta Razanakoto', email: 'hanta.razanakoto@example.com', status: 'completed', level: 'beginner', occupation: 'Graphiste indépendante' },
	{ cohort: 'Bootcamp Figma · février 2026', full_name: 'Fenosoa Ravelojaona', email: 'fenosoa.ravelojaona@example.com', status: 'dropped', level: 'beginner', occupation: 'Assistant marketing' },
	{ cohort: 'Bootcamp Figma · février 2026', full_name: 'Zo Randrianarisoa', email: 'zo.randrianarisoa@example.com', status: 'rejected', level: 'advanced', occupation: 'Chef de produit' },
	{ cohort: 'Bootcamp Figma · septembre 2026', full_name: 'Toky Rasolofo', email: 'toky.rasolofo@example.com', status: 'enrolled', level: 'intermediate', occupation: 'Intégrateur web' },
	{ cohort: 'Bootcamp Figma · septembre 2026', full_name: 'Nomena Rabearisoa', email: 'nomena.rabearisoa@example.com', status: 'enrolled', level: 'beginner', occupation: 'Étudiante en informatique' },
	{ cohort: 'Bootcamp Figma · septembre 2026', full_name: 'Volatiana Rakotondrabe', email: 'volatiana.rakotondrabe@example.com', status: 'enrolled', level: 'beginner', occupation: 'Chargée de communication, ONG' },
	{ cohort: 'Bootcamp Figma · septembre 2026', full_name: 'Andry Rajaonarison', email: 'andry.rajaonarison@example.com', status: 'waitlisted', level: 'beginner', occupation: 'Technicien agricole' },
	{ cohort: 'Bootcamp Figma · septembre 2026', full_name: 'Lanto Ramanantsoa', email: 'lanto.ramanantsoa@example.com', status: 'rejected', level: 'beginner', occupation: 'Lycéen' },
	{ cohort: 'Bootcamp Figma · février 2027', full_name: 'Soa Ratsimba', email: 'soa.ratsimba@example.com', status: 'received', level: 'beginner', occupation: 'Comptable' },
	{ cohort: 'Bootcamp Figma · février 2027', full_name: 'Rija Andriamanjato', email: 'rija.andriamanjato@example.com', status: 'received', level: 'intermediate', occupation: 'Développeur mobile' },
	{ cohort: 'Bootcamp Figma · février 2027', full_name: 'Haingo Rasoanaivo', email: 'haingo.rasoanaivo@example.com', status: 'accepted', level: 'intermediate', occupation: 'Designer graphique' },
	{ cohort: 'Bootcamp Figma · février 2027', full_name: 'Mahery Randriamampionona', email: 'mahery.randriamampionona@example.com', status: 'waitlisted', level: 'beginner', occupation: 'Étudiant en gestion' },
	{ cohort: 'Bootcamp Figma · février 2027', full_name: 'Fanilo Rakotomalala', email: 'fanilo.rakotomalala@example.com', status: 'rejected', level: 'advanced', occupation: 'Directeur artistique' }
];

export interface SeedOptions {
	/** Password of every demo user (default `fataplus-demo`). */
	password?: string;
}

/** Inserts the demo tenants, projects, partner, share, leads, users and bootcamp data that are missing. Safe to run on every boot. */
export async function seedDemo(app: App, options: SeedOptions = {}): Promise<void> {
	const password = options.password || DEFAULT_DEMO_PASSWORD;
	const clientIds = new Map<string, number>();
	for (const client of CLIENTS) clientIds.set(client.slug, await ensure(app, 'clients', { slug: client.slug }, client));
	const partnerId = await ensure(app, 'partners', { slug: PARTNER.slug }, PARTNER);

	const userIds = new Map<string, number>();
	for (const user of DEMO_USERS) {
		const existing = await findId(app, 'users', { email: user.email });
		userIds.set(
			user.email,
			existing ??
				Number(
					(
						await app.module.auth.createUser({
							email: user.email,
							password,
							role: user.role,
							name: user.name,
							client_id: 'client' in user ? clientIds.get(user.client) : undefined,
							partner_id: 'partner' in user ? partnerId : undefined
						})
					).id
				)
		);
	}

	let sharedProjectId: number | undefined;
	const projectIds = new Map<string, number>();
	for (const [slug, projects] of Object.entries(PROJECTS)) {
		const clients_id = clientIds.get(slug)!;
		for (const project of projects) {
			const title = project.title as string;
			const id = await ensure(app, 'projects', { clients_id, title }, { ...project, ...INTERNAL[title], clients_id });
			projectIds.set(title, id);
			if (title === SHARED_PROJECT_TITLE) sharedProjectId = id;
		}
	}
	// Databases seeded before the internal fields existed get them, while both are still empty (a value a staff
	// member wrote is never replaced).
	for (const [title, internal] of Object.entries(INTERNAL)) {
		const id = projectIds.get(title);
		if (id !== undefined && (await findId(app, 'projects', { id, internal_notes: null, margin_pct: null })) !== undefined) {
			await app.em.mutator('projects' as never).updateOne(id, internal as never);
		}
	}
	for (const [title, series] of Object.entries(METRICS)) {
		const projects_id = projectIds.get(title)!;
		for (const [key, unit, target, values] of series) {
			for (const [date, value] of values) await ensure(app, 'project_metrics', { projects_id, key, date }, { value, target, unit });
		}
	}

	await ensure(
		app,
		'project_shares',
		{ projects_id: sharedProjectId!, partners_id: partnerId },
		{ access: 'editor', granted_by: userIds.get('admin@fata.plus'), granted_at: new Date().toISOString() }
	);

	for (const { client, ...lead } of LEADS) {
		await ensure(app, 'leads', { title: lead.title, company: lead.company }, { ...lead, clients_id: client ? clientIds.get(client) : undefined });
	}
	await seedBootcamp(app);
	await stampUnrevisioned(app);
}

/** The bootcamp's cohorts and applications that are missing (a cohort by title, an application by email in its cohort). */
async function seedBootcamp(app: App): Promise<void> {
	const cohortIds = new Map<string, number>();
	for (const cohort of BOOTCAMP_COHORTS) cohortIds.set(cohort.title, await ensure(app, 'bootcamp_cohorts', { title: cohort.title }, cohort));
	for (const { cohort, level, occupation, ...application } of BOOTCAMP_APPLICATIONS) {
		const answers = {
			motivation: 'Je veux concevoir des interfaces claires pour des services utiles à Madagascar.',
			level,
			occupation,
			portfolioUrl: null,
			heardFrom: 'word_of_mouth',
			consent: true
		};
		await ensure(app, 'bootcamp_applications', { bootcamp_cohorts_id: cohortIds.get(cohort)!, email: application.email }, { ...application, answers });
	}
}

/**
 * Rows written before `updated_at` existed get one, so dashboards can sort by it and the live bridge can name
 * their events (its sweeper publishes them once). Plain SQL: a bulk stamp of old rows, not a change of them.
 */
async function stampUnrevisioned(app: App): Promise<void> {
	const revision = nextRevision();
	for (const entity of SHOWN_ENTITIES) {
		await app.em.connection.kysely.updateTable(entity).set({ updated_at: revision }).where('updated_at', 'is', null).execute();
	}
}

/** The id of the row of `entity` matching `key`, inserting `key` + `values` when there is none. */
async function ensure(app: App, entity: string, key: Record<string, string | number>, values: Record<string, unknown>): Promise<number> {
	const existing = await findId(app, entity, key);
	if (existing !== undefined) return existing;
	const { data } = await app.em.mutator(entity as never).insertOne({ ...values, ...key } as never);
	return Number((data as { id: number }).id);
}

async function findId(app: App, entity: string, where: Record<string, string | number | null>): Promise<number | undefined> {
	// Plain SQL through bknd's connection: bknd's repository warns for every where on a column it has no index for.
	let query = app.em.connection.kysely.selectFrom(entity).select('id');
	for (const [column, value] of Object.entries(where)) query = value === null ? query.where(column, 'is', null) : query.where(column, '=', value);
	const row = (await query.limit(1).executeTakeFirst()) as { id: number } | undefined;
	return row ? Number(row.id) : undefined;
}
