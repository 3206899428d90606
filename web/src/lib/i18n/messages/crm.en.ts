import type { crmFr } from './crm.fr';

/** English messages of the CRM screens: the same keys as crm.fr.ts. */
export const crmEn: { readonly [K in keyof typeof crmFr]: string } = {
	'crm.navProjects': 'Projects',
	'crm.navLeads': 'Leads',
	'crm.navUsers': 'Users'
};
