import { describe, expect, it } from 'vitest';
import { analysisContentSchema, completeAnalysis, intakeAnalysisSchema } from '../../../../../shared/intake/analysis';
import { BUDGETS, BUDGET_BANDS_MGA, INDUSTRIES, PROJECT_TYPES, TIMELINES, TIMELINE_WEEKS, intakeBriefSchema } from '../../../../../shared/intake/brief';
import { sampleBrief } from '../../../../../shared/intake/testKit';
import { analyseOffline, complexityOf, phasesFor, servicesFor } from './offlineAnalyser';

// The offline analyser's rules (offlineAnalyser.ts), one by one, and the promise behind them: for any valid brief,
// the same valid analysis every time.

describe('OFFLINE: complexity', () => {
	it('OFFLINE-1 agritech + enterprise budget + urgent → high', () => {
		expect(complexityOf(sampleBrief({ industry: 'agritech', budget: 'enterprise', timeline: 'urgent', companySize: 'startup', projectTypes: ['mobile_app'], mustHave: [] }))).toBe('high');
	});

	it('OFFLINE-2 a small, unhurried brochure site for one person → low; scope and size raise it', () => {
		const simple = sampleBrief({ industry: 'retail', budget: 'small', timeline: 'extended', companySize: 'individual', projectTypes: ['website'], mustHave: ['Formulaire de contact'] });
		expect(complexityOf(simple)).toBe('low');
		// A large organisation, three project types and six must-haves: medium; five types and eleven must-haves: high.
		const features = (n: number) => Array.from({ length: n }, (_, i) => `Fonction ${i}`);
		expect(complexityOf({ ...simple, companySize: 'large', projectTypes: ['website', 'web_app', 'dashboard'] })).toBe('low');
		expect(complexityOf({ ...simple, companySize: 'large', projectTypes: ['website', 'web_app', 'dashboard'], mustHave: features(6) })).toBe('medium');
		expect(complexityOf({ ...simple, companySize: 'large', projectTypes: ['website', 'web_app', 'dashboard', 'mobile_app', 'branding'], mustHave: features(11) })).toBe('high');
	});
});

describe('OFFLINE: services', () => {
	it('OFFLINE-3 come from the project types, then from the features, without duplicates', () => {
		const brief = sampleBrief({ projectTypes: ['mobile_app', 'dashboard'], mustHave: ['Paiement MVola', 'Saisie hors ligne'], niceToHave: ['Rappels par SMS', 'Tableau de bord'], existingAssets: ['logo'] });
		const services = servicesFor(brief, 'medium');
		expect(services).toEqual([
			'Recherche utilisateur',
			'Design UX/UI de l’application mobile',
			'Conception des tableaux de bord',
			'Parcours de paiement mobile (MVola, Orange Money, Airtel Money)',
			'Conception hors ligne d’abord (synchronisation différée)',
			'Parcours SMS / USSD pour les téléphones simples'
		]);
	});

	it('OFFLINE-4 no logo or charter and no branding asked → visual identity is recommended; a low complexity skips research', () => {
		const brief = sampleBrief({ projectTypes: ['website'], mustHave: [], niceToHave: [], existingAssets: ['content'] });
		expect(servicesFor(brief, 'low')).toEqual(['Design UX/UI du site web', 'Identité visuelle']);
		expect(servicesFor({ ...brief, existingAssets: ['brand_guidelines'] }, 'low')).toEqual(['Design UX/UI du site web']);
	});
});

describe('OFFLINE: budget and phases', () => {
	it.each(BUDGETS)('OFFLINE-5 the budget range of "%s" is its band in ariary; the estimate is its middle', (budget) => {
		const analysis = completeAnalysis(analyseOffline(sampleBrief({ budget })), 'offline');
		expect(analysis.budget_range_mga).toEqual(BUDGET_BANDS_MGA[budget]);
		expect(analysis.budget_estimate_mga).toBe((BUDGET_BANDS_MGA[budget].min + BUDGET_BANDS_MGA[budget].max) / 2);
	});

	it('OFFLINE-6 the phases always add up to the timeline’s weeks, each at least one week', () => {
		for (const timeline of TIMELINES) {
			for (const projectTypes of [['website'], ['branding', 'mobile_app']] as const) {
				const phases = phasesFor(sampleBrief({ timeline, projectTypes: [...projectTypes] }));
				expect(phases.reduce((sum, phase) => sum + phase.weeks, 0), `${timeline} ${projectTypes}`).toBe(TIMELINE_WEEKS[timeline]);
				for (const phase of phases) expect(phase.weeks).toBeGreaterThanOrEqual(1);
			}
		}
		// An urgent project (4 weeks) merges phases rather than giving one zero weeks.
		expect(phasesFor(sampleBrief({ timeline: 'urgent', projectTypes: ['branding'] }))).toHaveLength(4);
		// A 20-week project keeps the six steps of a branding project, the UI design being the longest.
		const medium = phasesFor(sampleBrief({ timeline: 'medium', projectTypes: ['branding', 'website'] }));
		expect(medium.map((phase) => phase.name)).toEqual(['Découverte et recherche', 'Architecture et parcours', 'Identité visuelle', 'Design UI', 'Prototype et tests', 'Passation et suivi']);
		expect(Math.max(...medium.map((phase) => phase.weeks))).toBe(medium[3]!.weeks);
	});
});

describe('OFFLINE: the whole analysis', () => {
	it('OFFLINE-7 every industry × budget × timeline gives a schema-valid analysis, the same one twice, with a French draft', () => {
		for (const industry of INDUSTRIES) {
			for (const budget of BUDGETS) {
				for (const timeline of TIMELINES) {
					const brief = intakeBriefSchema.parse(sampleBrief({ industry, budget, timeline, projectTypes: [...PROJECT_TYPES], existingAssets: [] }));
					const first = analyseOffline(brief);
					expect(analysisContentSchema.safeParse(first).success, `${industry} ${budget} ${timeline}`).toBe(true);
					expect(intakeAnalysisSchema.safeParse(completeAnalysis(first, 'offline')).success).toBe(true);
					expect(analyseOffline(structuredClone(brief))).toEqual(first);
				}
			}
		}
		const draft = analyseOffline(sampleBrief()).proposal_draft;
		expect(draft).toContain('Bonjour Fara Rasoa,');
		expect(draft).toContain('Budget indicatif : entre 1 000 000 Ar et 5 000 000 Ar');
		expect(draft).toContain('L’équipe Fataplus');
	});

	it('OFFLINE-8 agritech briefs become agritech projects with field risks; audits alone are consulting', () => {
		const agritech = analyseOffline(sampleBrief({ industry: 'agritech' }));
		expect(agritech.category).toBe('agritech');
		expect(agritech.risks.join(' ')).toContain('zone rurale');
		expect(agritech.questions.join(' ')).toContain('couverture réseau');
		expect(analyseOffline(sampleBrief({ industry: 'fintech', projectTypes: ['ux_audit'] })).category).toBe('consulting');
		expect(analyseOffline(sampleBrief({ industry: 'fintech', projectTypes: ['ux_audit', 'web_app'] })).category).toBe('design');
	});
});
