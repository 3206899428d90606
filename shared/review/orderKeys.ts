// Fractional order keys: a frame moves by getting a key between its new neighbours, so a move writes one
// field of one frame and two concurrent moves never rewrite each other's frames. Algorithm after
// rocicorp/fractional-indexing (CC0): keys are base-36 fractions in (0, 1) without trailing zeros,
// compared as plain strings.
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const KEY_PATTERN = /^[0-9a-z]*[1-9a-z]$/;

/** Whether `key` is a well-formed order key. */
export function isOrderKey(key: unknown): key is string {
	return typeof key === 'string' && key.length <= 1000 && KEY_PATTERN.test(key);
}

/**
 * A key strictly between `before` and `after` (`null` means the start or the end).
 * @example keyBetween(null, null) === 'i'; keyBetween('i', null) > 'i'
 */
export function keyBetween(before: string | null, after: string | null): string {
	if (before !== null && after !== null && before >= after) throw new Error(`order keys out of order: ${before} >= ${after}`);
	if (before === null && after === null) return 'i';
	if (after === null) return step(before!, +1);
	if (before === null) return step(after, -1);
	return midpoint(before, after);
}

// Appending and prepending step by one unit in the last digit of a key `length` digits long, not halfway to
// the end: halving added a digit every ~5 appends, so the 5,001st frame added at the end got a key over the
// 1,000-character limit. `length` is the key's length rounded up to a power of two (at least 2), so it stays
// the same while stepping even when a step ends in zeros, which are dropped; when every key of that length
// is used up it doubles. Keys stay 8 digits or fewer for over a million appends (or prepends).
function step(key: string, direction: 1 | -1): string {
	let length = 2;
	while (length < key.length) length *= 2;
	for (; ; length *= 2) {
		const digits = [...key.padEnd(length, '0')].map((d) => DIGITS.indexOf(d));
		let i = length - 1;
		// Add or subtract one at position i, carrying; a carry out of the first digit means this length is used up.
		while (i >= 0 && digits[i] === (direction > 0 ? DIGITS.length - 1 : 0)) digits[i--] = direction > 0 ? 0 : DIGITS.length - 1;
		if (i < 0) continue;
		digits[i]! += direction;
		const stepped = digits.map((d) => DIGITS[d]).join('').replace(/0+$/, '');
		// Going down can reach zero, which is no key (every key is above 0): go longer instead.
		if (stepped !== '') return stepped;
	}
}

function midpoint(a: string, b: string | null): string {
	if (b !== null) {
		// Keep the common prefix (reading a missing digit of `a` as 0) and split the rest.
		let n = 0;
		while ((a[n] ?? '0') === b[n]) n++;
		if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
	}
	const digitA = a ? DIGITS.indexOf(a[0]!) : 0;
	const digitB = b !== null ? DIGITS.indexOf(b[0]!) : DIGITS.length;
	if (digitB - digitA > 1) return DIGITS[Math.round((digitA + digitB) / 2)]!;
	// Consecutive first digits: a shorter key under `b` if there is one, else go one digit deeper after `a`.
	if (b !== null && b.length > 1) return b.slice(0, 1);
	return DIGITS[digitA]! + midpoint(a.slice(1), null);
}
