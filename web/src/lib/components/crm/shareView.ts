import type { ShareAccess } from '$shared/entities';

/** A partner share as the CRM shows it (built by lib/server/crm/shares.ts). */
export interface ShareView {
	id: number;
	projectId: number | null;
	projectTitle: string | null;
	partnerId: number | null;
	partnerName: string | null;
	access: ShareAccess | null;
	/** Who granted it (a name), when known. */
	grantedBy: string | null;
	grantedAt: string | null;
	/** `null` while the share is live. */
	revokedAt: string | null;
}

/** A partner agency, as pickers show it. */
export interface PartnerOption {
	id: number;
	name: string;
}
