import type { intakeFr } from './intake.fr';

/** English messages of the intake screens: the same keys as intake.fr.ts. */
export const intakeEn: { readonly [K in keyof typeof intakeFr]: string } = {};
