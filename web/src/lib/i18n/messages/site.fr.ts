/** French messages of the site screens (spread into ../fr.ts; keys start with `site.`). */
export const siteFr = {} as const;
