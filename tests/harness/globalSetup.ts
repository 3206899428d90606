import { ensureWebBuilt } from '../../scripts/lib/webBuild';

/** Integration and browser tests run against the built app, as production does; build it once if stale. */
export default function setup() {
	ensureWebBuilt();
}
