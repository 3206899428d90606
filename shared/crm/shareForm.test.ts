import { describe, expect, it } from 'vitest';
import { shareGrantSchema, shareRevokeSchema } from './shareForm';
import { issuesByField } from './testIssues';

describe('shareGrantSchema / shareRevokeSchema (partner sharing)', () => {
	it('CRM-SHARE-1 a grant names a partner agency and editor or viewer access', () => {
		expect(shareGrantSchema.parse({ partners_id: '1', access: 'editor' })).toEqual({ partners_id: 1, access: 'editor' });
		expect(shareGrantSchema.parse({ partners_id: '4', access: 'viewer' })).toEqual({ partners_id: 4, access: 'viewer' });
	});

	it('CRM-SHARE-2 no partner or another access level is refused with a message for the field', () => {
		expect(issuesByField(shareGrantSchema.safeParse({ partners_id: '', access: 'owner' }))).toEqual({ partners_id: 'crm.choosePartner', access: 'form.choose' });
		expect(issuesByField(shareGrantSchema.safeParse({ partners_id: '-1', access: 'viewer' }))).toEqual({ partners_id: 'crm.choosePartner' });
	});

	it('CRM-SHARE-3 a revocation names one share by id', () => {
		expect(shareRevokeSchema.parse({ share_id: '7' })).toEqual({ share_id: 7 });
		expect(shareRevokeSchema.safeParse({ share_id: '7; DROP' }).success).toBe(false);
		expect(shareRevokeSchema.safeParse({}).success).toBe(false);
	});
});
