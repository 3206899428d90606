// The bootcamp as the agency sells it, for the pages that talk about it without asking bknd (the home page's
// teaser, the programme). A cohort in bknd carries its own price and length, which win where it is shown.

/** The list price of the whole course, in ariary. */
export const BOOTCAMP_PRICE_MGA = 790_000;
/** Weeks in the programme (one line each on /bootcamp). */
export const BOOTCAMP_WEEKS = 12;
