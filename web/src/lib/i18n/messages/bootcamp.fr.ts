/** French messages of the bootcamp screens (spread into ../fr.ts; keys start with `bootcamp.`). */
export const bootcampFr = {} as const;
