/** French messages of the leads screens (spread into ../fr.ts; keys start with `leads.`). */
export const leadsFr = {} as const;
