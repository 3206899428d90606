/** French messages of the users screens (spread into ../fr.ts; keys start with `users.`). */
export const usersFr = {} as const;
