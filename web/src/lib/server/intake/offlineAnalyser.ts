import type { AnalysisContent, Complexity, Phase } from '../../../../../shared/intake/analysis';
import {
	BUDGET_BANDS_MGA,
	TIMELINE_WEEKS,
	type Budget,
	type CompanySize,
	type Industry,
	type IntakeBrief,
	type ProjectType,
	type Timeline
} from '../../../../../shared/intake/brief';
import type { ProjectCategory } from '../../../../../shared/entities';

// The analysis without Claude: plain rules over the brief's industry, size, budget, timeline, project types and
// features. Pure and deterministic (the same brief always gives the same analysis), so the intake works fully
// offline and the rules can be tested one by one. Its text is French, like Claude's, and it fills the same
// schema (shared/intake/analysis.ts); the caller marks it `offline`.

/** Points that push a project towards `high` complexity (see complexityOf). */
const BUDGET_POINTS: Record<Budget, number> = { small: 0, medium: 1, large: 2, enterprise: 3 };
/** A compressed timeline is harder than a long one of the same scope. */
const TIMELINE_POINTS: Record<Timeline, number> = { urgent: 2, short: 1, medium: 0, long: 0, extended: 0 };
/** Field constraints, regulation or public procurement. */
const DEMANDING_INDUSTRIES: readonly Industry[] = ['agritech', 'fintech', 'healthtech', 'government'];
const LARGE_ORGANISATIONS: readonly CompanySize[] = ['large', 'organization'];

const INDUSTRY_LABELS: Record<Industry, string> = {
	agritech: 'agritech',
	fintech: 'fintech',
	healthtech: 'santé',
	edtech: 'éducation',
	ecommerce: 'e-commerce',
	retail: 'commerce de détail',
	manufacturing: 'industrie',
	government: 'secteur public',
	nonprofit: 'associatif',
	other: 'autre secteur'
};

const TYPE_SERVICES: Record<ProjectType, string> = {
	website: 'Design UX/UI du site web',
	web_app: 'Design UX/UI de l’application web',
	mobile_app: 'Design UX/UI de l’application mobile',
	dashboard: 'Conception des tableaux de bord',
	design_system: 'Design system et bibliothèque de composants',
	ux_research: 'Recherche utilisateur',
	ux_audit: 'Audit UX de l’existant',
	branding: 'Identité visuelle',
	prototype: 'Prototype interactif et tests utilisateurs'
};

const TYPE_LABELS: Record<ProjectType, string> = {
	website: 'un site web',
	web_app: 'une application web',
	mobile_app: 'une application mobile',
	dashboard: 'des tableaux de bord',
	design_system: 'un design system',
	ux_research: 'une recherche utilisateur',
	ux_audit: 'un audit UX',
	branding: 'une identité visuelle',
	prototype: 'un prototype'
};

/** Services a feature calls for, found by keywords (French and English) in the must-have and nice-to-have lists. */
const FEATURE_SERVICES: readonly { pattern: RegExp; service: string }[] = [
	{ pattern: /paiement|payment|mvola|orange money|airtel money|mobile money/i, service: 'Parcours de paiement mobile (MVola, Orange Money, Airtel Money)' },
	{ pattern: /hors[ -]ligne|offline|sans (réseau|connexion)/i, service: 'Conception hors ligne d’abord (synchronisation différée)' },
	{ pattern: /\bsms\b|ussd/i, service: 'Parcours SMS / USSD pour les téléphones simples' },
	{ pattern: /carte|map|gps|géolocalisation|geolocation/i, service: 'Cartographie et géolocalisation' },
	{ pattern: /tableau de bord|dashboard|statistique|reporting|rapport/i, service: 'Conception des tableaux de bord' },
	{ pattern: /multilingue|malgache|bilingue|traduction|multilingual|translation/i, service: 'Contenus bilingues français / malgache' }
];

/** The phases of a design project and their share of the time (weights), before fitting them to the timeline. */
const PHASES: readonly { name: string; weight: number; description: string; when?: (brief: IntakeBrief) => boolean }[] = [
	{ name: 'Découverte et recherche', weight: 2, description: 'Ateliers de cadrage, entretiens avec les utilisateurs, analyse de l’existant.' },
	{ name: 'Architecture et parcours', weight: 2, description: 'Arborescence, parcours clés et wireframes validés avec vous.' },
	{ name: 'Identité visuelle', weight: 2, description: 'Pistes graphiques, logo et charte.', when: (brief) => brief.projectTypes.includes('branding') },
	{ name: 'Design UI', weight: 3, description: 'Maquettes haute fidélité des écrans et des états.' },
	{ name: 'Prototype et tests', weight: 2, description: 'Prototype interactif testé avec de vrais utilisateurs, puis corrections.' },
	{ name: 'Passation et suivi', weight: 1, description: 'Spécifications, design system et accompagnement des développeurs.' }
];

/** The analysis of `brief` by the rules: same shape as Claude's, always valid against analysisContentSchema. */
export function analyseOffline(brief: IntakeBrief): AnalysisContent {
	const complexity = complexityOf(brief);
	const phases = phasesFor(brief);
	const weeks = TIMELINE_WEEKS[brief.timeline];
	const services = servicesFor(brief, complexity);
	const budget = BUDGET_BANDS_MGA[brief.budget];
	const who = brief.company || brief.contactName;
	return {
		summary: cut(
			`${who} (${INDUSTRY_LABELS[brief.industry]}) souhaite ${listFr(brief.projectTypes.map((type) => TYPE_LABELS[type]))}. Problème exprimé : ${brief.problem}`,
			1200
		),
		category: categoryOf(brief),
		complexity,
		recommended_services: services,
		phases,
		budget_range_mga: { ...budget },
		risks: risksOf(brief, complexity),
		questions: questionsFor(brief),
		proposal_draft: proposalDraft(brief, { complexity, phases, services, weeks })
	};
}

/** agritech + enterprise budget + urgent → high: budget 3 + timeline 2 + industry 1 = 6 points. */
export function complexityOf(brief: IntakeBrief): Complexity {
	let points = BUDGET_POINTS[brief.budget] + TIMELINE_POINTS[brief.timeline];
	if (DEMANDING_INDUSTRIES.includes(brief.industry)) points += 1;
	if (LARGE_ORGANISATIONS.includes(brief.companySize)) points += 1;
	if (brief.projectTypes.length >= 5) points += 2;
	else if (brief.projectTypes.length >= 3) points += 1;
	if (brief.mustHave.length > 10) points += 2;
	else if (brief.mustHave.length > 5) points += 1;
	return points >= 5 ? 'high' : points >= 3 ? 'medium' : 'low';
}

function categoryOf(brief: IntakeBrief): ProjectCategory {
	if (brief.industry === 'agritech') return 'agritech';
	const adviceOnly = brief.projectTypes.every((type) => type === 'ux_audit' || type === 'ux_research');
	return adviceOnly ? 'consulting' : 'design';
}

/** Services from the project types, then from the features, then what the brief lacks; at most ten. */
export function servicesFor(brief: IntakeBrief, complexity: Complexity): string[] {
	const services: string[] = [];
	const add = (service: string) => {
		if (!services.includes(service)) services.push(service);
	};
	if (complexity !== 'low' && !brief.projectTypes.includes('ux_audit')) add(TYPE_SERVICES.ux_research);
	for (const type of brief.projectTypes) add(TYPE_SERVICES[type]);
	const features = [...brief.mustHave, ...brief.niceToHave].join('\n');
	for (const { pattern, service } of FEATURE_SERVICES) if (pattern.test(features)) add(service);
	const hasBrand = brief.existingAssets.includes('logo') || brief.existingAssets.includes('brand_guidelines');
	if (!hasBrand && !brief.projectTypes.includes('branding')) add(TYPE_SERVICES.branding);
	return services.slice(0, 10);
}

/** The phases that apply, their weeks fitted to the timeline: they always add up to TIMELINE_WEEKS[timeline]. */
export function phasesFor(brief: IntakeBrief): Phase[] {
	const chosen = PHASES.filter((phase) => phase.when?.(brief) ?? true);
	const total = TIMELINE_WEEKS[brief.timeline];
	// Short timelines cannot give every phase a week: merge from the end until each gets at least one.
	while (chosen.length > total) chosen.splice(chosen.length - 2, 2, mergePhases(chosen.at(-2)!, chosen.at(-1)!));
	return distribute(total, chosen.map((phase) => phase.weight)).map((weeks, index) => ({
		name: chosen[index]!.name,
		weeks,
		description: chosen[index]!.description
	}));
}

function mergePhases(a: (typeof PHASES)[number], b: (typeof PHASES)[number]): (typeof PHASES)[number] {
	return { name: `${a.name} ; ${b.name.toLowerCase()}`, weight: a.weight + b.weight, description: `${a.description} ${b.description}` };
}

/** Splits `total` whole weeks by `weights` (largest remainder), each part at least 1. */
function distribute(total: number, weights: readonly number[]): number[] {
	const spare = total - weights.length;
	const sum = weights.reduce((a, b) => a + b, 0);
	const exact = weights.map((weight) => (spare * weight) / sum);
	const parts = exact.map((value) => 1 + Math.floor(value));
	let left = total - parts.reduce((a, b) => a + b, 0);
	const order = exact.map((value, index) => ({ index, rest: value - Math.floor(value) })).sort((a, b) => b.rest - a.rest || a.index - b.index);
	for (const { index } of order) {
		if (left <= 0) break;
		parts[index]! += 1;
		left -= 1;
	}
	return parts;
}

function risksOf(brief: IntakeBrief, complexity: Complexity): string[] {
	const risks: string[] = [];
	if (brief.timeline === 'urgent') risks.push('Délai très court : il faudra réduire le périmètre à l’essentiel (MVP) et valider vite.');
	if (brief.budget === 'small' && complexity !== 'low') risks.push('Budget serré au regard du périmètre : prioriser les fonctionnalités indispensables.');
	if (brief.industry === 'agritech') risks.push('Connectivité limitée en zone rurale : prévoir un mode hors ligne et des tests sur le terrain.');
	if (brief.industry === 'fintech') risks.push('Paiements et données financières : conformité à la réglementation de la Banque centrale de Madagascar et sécurité à prévoir dès la conception.');
	if (brief.industry === 'healthtech') risks.push('Données de santé : confidentialité et consentement des patients à traiter dès le départ.');
	if (brief.industry === 'government') risks.push('Circuits de validation longs : planifier les revues avec les décideurs dès le début.');
	if (brief.mustHave.length > 8) risks.push('Périmètre large : prioriser les fonctionnalités pour tenir le délai.');
	if (brief.existingAssets.length === 0) risks.push('Aucun support existant (charte, maquettes, contenus) : prévoir le temps de les produire.');
	return risks.slice(0, 10);
}

function questionsFor(brief: IntakeBrief): string[] {
	const questions = [
		'Qui décide et valide les livrables de votre côté ?',
		'Quels indicateurs montreront que le projet est réussi ?',
		'Avez-vous une équipe de développement, ou faut-il en trouver une ?'
	];
	if (brief.mustHave.length === 0) questions.push('Quelles sont les trois fonctionnalités sans lesquelles le projet n’a pas de sens ?');
	if (brief.projectTypes.includes('mobile_app')) questions.push('Quels téléphones vos utilisateurs ont-ils (Android d’entrée de gamme, téléphones simples) ?');
	if (brief.industry === 'agritech') questions.push('Quelles zones couvrir en premier, et quelle y est la couverture réseau ?');
	if (brief.timeline === 'urgent') questions.push('Quelle date est impérative, et pourquoi ?');
	return questions.slice(0, 10);
}

function proposalDraft(brief: IntakeBrief, plan: { complexity: Complexity; phases: Phase[]; services: string[]; weeks: number }): string {
	const budget = BUDGET_BANDS_MGA[brief.budget];
	const ariary = (amount: number) => `${new Intl.NumberFormat('fr-FR').format(amount).replace(/\s/g, ' ')} Ar`;
	const complexityText = { low: 'simple', medium: 'de complexité moyenne', high: 'complexe' }[plan.complexity];
	const lines = [
		`Bonjour ${brief.contactName},`,
		'',
		`Merci pour votre demande « ${brief.title} ». D’après votre brief, il s’agit d’un projet ${complexityText} que nous proposons de mener en ${plan.phases.length} phases sur ${plan.weeks} semaines :`,
		...plan.phases.map((phase) => `- ${phase.name} (${phase.weeks} semaine${phase.weeks > 1 ? 's' : ''}) : ${phase.description}`),
		'',
		`Nos services recommandés : ${plan.services.join(', ')}.`,
		'',
		`Budget indicatif : entre ${ariary(budget.min)} et ${ariary(budget.max)}, à affiner après un premier atelier.`,
		'',
		'Nous vous proposons un appel de trente minutes pour préciser vos priorités.',
		'',
		'Bien cordialement,',
		'L’équipe Fataplus'
	];
	return cut(lines.join('\n'), 10_000);
}

/** "a", "a et b", "a, b et c". */
function listFr(items: readonly string[]): string {
	if (items.length <= 1) return items[0] ?? '';
	return `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`;
}

function cut(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
