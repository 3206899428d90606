/**
 * A valid bootcamp application form (shared/bootcamp/application.ts) for cohort `cohortId`; `tag` makes its name and
 * email unique, `extra` overrides fields (an invalid value, the honeypot…).
 */
export function bootcampApplication(cohortId: number, tag: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		cohortId: String(cohortId),
		fullName: `Candidate ${tag}`,
		email: `${tag}@example.com`,
		phone: '+261 34 11 222 33',
		level: 'intermediate',
		occupation: 'Développeuse web',
		motivation: 'Je conçois déjà des sites et je veux apprendre à mener des tests utilisateurs sérieux.',
		portfolioUrl: '',
		heardFrom: 'social_media',
		consent: true,
		website: '',
		...extra
	};
}
