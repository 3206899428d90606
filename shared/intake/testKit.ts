import type { AnalysisContent } from './analysis';
import type { IntakeBrief } from './brief';

// Fixtures for the intake tests (bknd route, analysers, the fake Claude server, integration and browser tests):
// one realistic brief of a Malagasy agritech cooperative and the analysis Claude would give for it.

/** A valid brief; `overrides` replace fields (e.g. a unique title per test). */
export function sampleBrief(overrides: Partial<IntakeBrief> = {}): IntakeBrief {
	return {
		contactName: 'Fara Rasoa',
		email: 'fara@ferme-verte.mg',
		phone: '+261 34 12 345 67',
		company: 'Coopérative Ferme Verte',
		companySize: 'sme',
		title: 'Application de suivi des collectes de vanille',
		industry: 'agritech',
		projectTypes: ['mobile_app', 'dashboard'],
		problem: 'Nos 400 producteurs de vanille notent les collectes sur papier : les pesées se perdent et les paiements prennent trois semaines.',
		vision: 'Une application mobile utilisable sans réseau pour enregistrer chaque pesée, et un tableau de bord pour la coopérative.',
		audience: 'Producteurs de la région SAVA, collecteurs et gestionnaires de la coopérative.',
		impact: 'Payer les producteurs en une semaine et suivre la qualité lot par lot.',
		mustHave: ['Saisie des pesées hors ligne', 'Paiement mobile MVola', 'Tableau de bord des collectes'],
		niceToHave: ['Notifications SMS aux producteurs'],
		existingAssets: ['logo'],
		assetsNotes: '',
		budget: 'large',
		timeline: 'medium',
		consent: true,
		...overrides
	};
}

/** What Claude answers for `sampleBrief()` in the tests' fake server: French, realistic, schema-valid. */
export function sampleClaudeAnalysis(overrides: Partial<AnalysisContent> = {}): AnalysisContent {
	return {
		summary:
			'La coopérative veut remplacer le suivi papier des collectes de vanille par une application mobile hors ligne et un tableau de bord, afin de payer les producteurs plus vite et de tracer la qualité.',
		category: 'agritech',
		complexity: 'medium',
		recommended_services: ['Recherche utilisateur terrain (SAVA)', 'Design UX/UI mobile hors ligne', 'Tableau de bord de la coopérative', 'Intégration du paiement MVola'],
		phases: [
			{ name: 'Découverte et recherche terrain', weeks: 3, description: 'Entretiens avec producteurs et collecteurs, observation des pesées.' },
			{ name: 'Parcours et architecture', weeks: 3, description: 'Parcours de saisie hors ligne, synchronisation, rôles.' },
			{ name: 'Design UI et prototype', weeks: 6, description: 'Maquettes mobiles et tableau de bord, prototype testé sur le terrain.' },
			{ name: 'Tests et passation', weeks: 4, description: 'Tests avec dix producteurs, corrections, passation aux développeurs.' }
		],
		budget_range_mga: { min: 3_500_000, max: 4_800_000 },
		risks: ['Réseau mobile instable dans la SAVA : la synchronisation doit tolérer des jours sans connexion.', 'Intégration MVola soumise à l’accord de l’opérateur.'],
		questions: ['Combien de collecteurs utiliseront l’application dès le lancement ?', 'Quels téléphones les collecteurs ont-ils aujourd’hui ?', 'Qui valide les maquettes côté coopérative ?'],
		proposal_draft:
			'Madame Rasoa,\n\nMerci pour votre demande. Nous proposons d’accompagner la Coopérative Ferme Verte en quatre phases sur seize semaines : une recherche sur le terrain avec vos producteurs, la conception des parcours de saisie hors ligne, le design de l’application et du tableau de bord, puis des tests et la passation à vos développeurs.\n\nBudget indicatif : entre 3 500 000 et 4 800 000 Ar.\n\nBien cordialement,\nL’équipe Fataplus',
		...overrides
	};
}
