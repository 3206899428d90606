import { z } from 'zod';
import { SHARE_ACCESS } from '../entities';
import { choice, rowId } from './formFields';

/** Sharing a project with a partner agency (bknd `partners`): which agency, and `editor` or `viewer`. */
export const shareGrantSchema = z.object({
	partners_id: rowId('crm.choosePartner'),
	access: choice(SHARE_ACCESS)
});
export type ShareGrant = z.output<typeof shareGrantSchema>;

/** Ending a share: it gets `revoked_at`, it is never deleted (the audit trail stays). */
export const shareRevokeSchema = z.object({
	share_id: rowId('form.invalid')
});
export type ShareRevoke = z.output<typeof shareRevokeSchema>;
