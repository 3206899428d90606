/** French messages of the CRM screens (spread into ../fr.ts; keys start with `crm.`). */
export const crmFr = {
	'crm.navProjects': 'Projets',
	'crm.navLeads': 'Prospects',
	'crm.navUsers': 'Utilisateurs'
} as const;
