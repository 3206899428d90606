import { describe, expect, it } from 'vitest';
import { likePattern, matchesLiterally } from './literalSearch';

describe('literal search through bknd $like', () => {
	it('HARDEN-SEARCH-1 wildcards typed in the search never reach bknd as wildcards', () => {
		expect(likePattern('ferme')).toBe('%ferme%');
		expect(likePattern('%')).toBe('%_%');
		expect(likePattern('a_b*c%d')).toBe('%a_b_c_d%');
		expect(likePattern('"\\\'')).toBe('%"\\\'%');
	});

	it('HARDEN-SEARCH-2 a row matches only when it contains the text literally, ASCII case aside as in SQLite', () => {
		expect(matchesLiterally('Ferme Verte', 'ferme')).toBe(true);
		expect(matchesLiterally('Ferme Verte', 'RME VE')).toBe(true);
		expect(matchesLiterally('Ferme Verte', '%')).toBe(false);
		expect(matchesLiterally('Ferme Verte', '_')).toBe(false);
		expect(matchesLiterally('Taux 100% bio', '100%')).toBe(true);
		expect(matchesLiterally('Taux 100 bio', '100%')).toBe(false);
		expect(matchesLiterally('ferme_verte', 'e_v')).toBe(true);
		expect(matchesLiterally('ferme-verte', 'e_v')).toBe(false);
		// SQLite's LIKE folds ASCII letters only: bknd would not answer "Étable" for "étable", nor this.
		expect(matchesLiterally('Étable', 'étable')).toBe(false);
		expect(matchesLiterally(null, 'x')).toBe(false);
	});
});
