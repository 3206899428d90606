import type { leadsFr } from './leads.fr';

/** English messages of the leads screens: the same keys as leads.fr.ts. */
export const leadsEn: { readonly [K in keyof typeof leadsFr]: string } = {};
