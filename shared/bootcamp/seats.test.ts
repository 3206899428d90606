import { describe, expect, it } from 'vitest';
import { cohortAvailability, countSeatHolders, seatsLeft } from './seats';

describe('bootcamp seats', () => {
	it('BOOT-SEATS-1 only accepted and enrolled applications hold a seat', () => {
		expect(countSeatHolders(['received', 'accepted', 'waitlisted', 'rejected', 'enrolled', 'completed', 'dropped', null])).toBe(2);
	});

	it('BOOT-SEATS-2 seats left never go below zero nor come from a missing seat count', () => {
		expect(seatsLeft(20, 3)).toBe(17);
		expect(seatsLeft(2, 5)).toBe(0);
		expect(seatsLeft(null, 0)).toBe(0);
	});

	it('BOOT-SEATS-3 an open cohort with no seat left is full; other statuses stay what they are', () => {
		expect(cohortAvailability({ status: 'open', seatsLeft: 1 })).toBe('open');
		expect(cohortAvailability({ status: 'open', seatsLeft: 0 })).toBe('full');
		expect(cohortAvailability({ status: 'closed', seatsLeft: 5 })).toBe('closed');
		expect(cohortAvailability({ status: 'running', seatsLeft: 5 })).toBe('running');
	});
});
