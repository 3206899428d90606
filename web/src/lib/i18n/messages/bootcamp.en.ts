import type { bootcampFr } from './bootcamp.fr';

/** English messages of the bootcamp screens: the same keys as bootcamp.fr.ts. */
export const bootcampEn: { readonly [K in keyof typeof bootcampFr]: string } = {};
