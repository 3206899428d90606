import type { siteFr } from './site.fr';

/** English messages of the site screens: the same keys as site.fr.ts. */
export const siteEn: { readonly [K in keyof typeof siteFr]: string } = {};
