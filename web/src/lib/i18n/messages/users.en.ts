import type { usersFr } from './users.fr';

/** English messages of the users screens: the same keys as users.fr.ts. */
export const usersEn: { readonly [K in keyof typeof usersFr]: string } = {};
