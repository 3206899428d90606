/** French messages of the intake screens (spread into ../fr.ts; keys start with `intake.`). */
export const intakeFr = {} as const;
