import { describe, expect, it } from 'vitest';
import { budgetEstimateOf, readAnalysis } from './leadAnalysis';

describe('readAnalysis', () => {
	it('LEAD-AN-1 reads a full intake analysis: summary, category, complexity, services, phases, budget, risks, questions', () => {
		const view = readAnalysis({
			summary: 'Plateforme de traçabilité',
			category: 'agritech',
			complexity: 'élevée',
			recommended_services: ['Recherche utilisateurs', { name: 'Design UI' }],
			phases: [{ name: 'Découverte', weeks: 2, description: 'Entretiens' }, { title: 'Conception', duration: '1 mois' }, 'Lancement'],
			budget_range_mga: { min: 40_000_000, max: 60_000_000 },
			risks: ['Connexion rurale'],
			questions: [{ question: 'Quels certificats ?' }]
		});
		expect(view).toEqual({
			summary: 'Plateforme de traçabilité',
			category: 'agritech',
			complexity: 'élevée',
			services: ['Recherche utilisateurs', 'Design UI'],
			phases: [
				{ name: 'Découverte', weeks: 2, duration: null, description: 'Entretiens' },
				{ name: 'Conception', weeks: null, duration: '1 mois', description: null },
				{ name: 'Lancement', weeks: null, duration: null, description: null }
			],
			budget: { min: 40_000_000, max: 60_000_000 },
			risks: ['Connexion rurale'],
			questions: ['Quels certificats ?']
		});
	});

	it('LEAD-AN-2 reads the seed’s small shape and a JSON string; anything else is null, never a throw', () => {
		expect(readAnalysis('{"summary":"Site vitrine","fit":"design","budget_estimate_mga":8000000}')).toMatchObject({
			summary: 'Site vitrine',
			category: 'design',
			budget: { min: 8_000_000, max: 8_000_000 },
			services: [],
			phases: []
		});
		for (const junk of [null, undefined, 42, 'pas du json', [], ['a']]) expect(readAnalysis(junk)).toBeNull();
		expect(readAnalysis({ summary: { nested: true }, phases: 'x', budget_range_mga: { min: -5, max: 'beaucoup' } })).toMatchObject({ summary: null, phases: [], budget: null });
	});

	it('LEAD-AN-3 the card amount is the estimate, else the middle of the range', () => {
		expect(budgetEstimateOf({ budget_estimate_mga: 8_000_000, budget_range_mga: { min: 1, max: 2 } })).toBe(8_000_000);
		expect(budgetEstimateOf({ budget_min_mga: 10_000_000, budget_max_mga: 15_000_000 })).toBe(12_500_000);
		expect(budgetEstimateOf({ summary: 'sans budget' })).toBeNull();
		expect(budgetEstimateOf(null)).toBeNull();
	});
});
